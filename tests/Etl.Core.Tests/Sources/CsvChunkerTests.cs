// CsvChunker cuts a CSV stream after records, where an RFC 4180 reader ends them, and stops where quoting turns irregular.
using System.Text;
using Etl.Sources;

namespace Etl.Core.Tests.Sources;

public sealed class CsvChunkerTests
{
    private static readonly byte[] Prefix = "h\n"u8.ToArray();

    /// <summary>The records of each chunk as text, their first lines, and where the chunks stopped.</summary>
    private static async Task<(List<(string Records, long FirstLine)> Chunks, long? Tail)> ChunksAsync(string content, int chunkBytes, long offset = 0)
    {
        var chunker = new CsvChunker(new MemoryStream(Encoding.UTF8.GetBytes(content)), Prefix, ',', '"', chunkBytes, offset, line: 1);
        var chunks = new List<(string, long)>();
        while (await chunker.NextAsync(CancellationToken.None) is { } chunk)
        {
            Assert.Equal(Prefix, chunk.Bytes.AsSpan(0, Prefix.Length).ToArray());
            chunks.Add((Encoding.UTF8.GetString(chunk.Bytes, Prefix.Length, chunk.Length - Prefix.Length), chunk.FirstLine));
            chunker.Return(chunk);
        }
        return (chunks, chunker.TailOffset);
    }

    [Fact]
    public async Task CsvChunker_Records_ChunksEndAfterTheLastLineBreakThatFits()
    {
        var (chunks, tail) = await ChunksAsync("a,1\nb,2\nc,3\nd,4\n", chunkBytes: 10);

        Assert.Equal([("a,1\nb,2\n", 1L), ("c,3\nd,4\n", 3L)], chunks);
        Assert.Null(tail);
    }

    [Fact]
    public async Task CsvChunker_Chunks_SayWhereInTheFileTheirRecordsEnd()
    {
        var chunker = new CsvChunker(new MemoryStream("a,1\nb,2\nc,3\n"u8.ToArray()), Prefix, ',', '"', chunkBytes: 8, offset: 100, line: 1);

        var ends = new List<long>();
        while (await chunker.NextAsync(CancellationToken.None) is { } chunk)
        {
            ends.Add(chunk.End);
        }

        Assert.Equal([108L, 112L], ends);
    }

    [Fact]
    public async Task CsvChunker_LineBreakInsideQuotes_DoesNotEndAChunk()
    {
        var (chunks, _) = await ChunksAsync("a,\"x\ny\"\nb,2\n", chunkBytes: 8);

        Assert.Equal([("a,\"x\ny\"\n", 1L), ("b,2\n", 3L)], chunks);
    }

    [Fact]
    public async Task CsvChunker_DoubledQuotes_StayInsideTheQuotedField()
    {
        var (chunks, tail) = await ChunksAsync("a,\"x\"\"\ny\"\nb,2\n", chunkBytes: 12);

        Assert.Equal([("a,\"x\"\"\ny\"\n", 1L), ("b,2\n", 3L)], chunks);
        Assert.Null(tail);
    }

    [Fact]
    public async Task CsvChunker_LastRecordWithoutLineBreak_IsTheLastChunk()
    {
        var (chunks, tail) = await ChunksAsync("a,1\nb,2", chunkBytes: 4);

        Assert.Equal([("a,1\n", 1L), ("b,2", 2L)], chunks);
        Assert.Null(tail);
    }

    [Fact]
    public async Task CsvChunker_QuoteInsideAnUnquotedField_StopsAtTheRecordBeforeIt()
    {
        var (chunks, tail) = await ChunksAsync("a,1\nb,2\"\nc,3\n", chunkBytes: 100, offset: 1000);

        Assert.Equal([("a,1\n", 1L)], chunks);
        Assert.Equal(1004, tail);
    }

    [Fact]
    public async Task CsvChunker_TextAfterAClosingQuote_StopsAtTheRecordBeforeIt()
    {
        var (chunks, tail) = await ChunksAsync("a,\"1\"x\nb,2\n", chunkBytes: 100);

        Assert.Empty(chunks);
        Assert.Equal(0, tail);
    }

    [Fact]
    public async Task CsvChunker_LoneCarriageReturn_StopsAtTheRecordBeforeIt()
    {
        var (chunks, tail) = await ChunksAsync("a,1\r\nb,2\rc,3\n", chunkBytes: 100);

        Assert.Equal([("a,1\r\n", 1L)], chunks);
        Assert.Equal(5, tail);
    }

    [Fact]
    public async Task CsvChunker_RecordLongerThanMaxGrowthChunks_StopsBeforeIt()
    {
        var (chunks, tail) = await ChunksAsync($"a,1\nb,\"{new string('x', 2 * CsvChunker.MaxGrowth)}\"\n", chunkBytes: 1);

        Assert.Equal([("a,1\n", 1L)], chunks);
        Assert.Equal(4, tail);
    }
}
