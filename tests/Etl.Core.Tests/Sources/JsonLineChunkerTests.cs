// JsonLineChunker cuts a JSON Lines stream into line-aligned chunks and says how many lines each holds.
using System.Text;
using Etl.Sources;

namespace Etl.Core.Tests.Sources;

public sealed class JsonLineChunkerTests
{
    private static async Task<List<JsonLineChunk>> ChunksAsync(string text, int chunkBytes)
    {
        var chunks = new List<JsonLineChunk>();
        await foreach (var chunk in JsonLineChunker.ReadAsync("in.jsonl", new MemoryStream(Encoding.UTF8.GetBytes(text)), _ => { }, chunkBytes, CancellationToken.None))
        {
            chunks.Add(chunk);
        }
        return chunks;
    }

    private static int LinesIn(JsonLineChunk chunk)
    {
        var text = Encoding.UTF8.GetString(chunk.Bytes, 0, chunk.Length);
        return text.Split('\n').Length - (text.EndsWith('\n') ? 1 : 0);
    }

    [Fact]
    public async Task JsonLineChunker_EachChunk_CountsTheLinesItHolds()
    {
        var text = string.Concat(Enumerable.Range(1, 40).Select(i => $$"""{"id":{{i}},"pad":"{{new string('x', i % 9)}}"}""" + "\n")) + """{"id":41}""";

        var chunks = await ChunksAsync(text, chunkBytes: 64);

        Assert.True(chunks.Count > 1);
        Assert.Equal(chunks.Select(LinesIn), chunks.Select(c => c.Lines));
        Assert.Equal(41, chunks.Sum(c => c.Lines));
        Assert.Equal(chunks.Select(c => c.FirstLine).Skip(1), chunks.SkipLast(1).Select(c => c.FirstLine + c.Lines));
    }
}
