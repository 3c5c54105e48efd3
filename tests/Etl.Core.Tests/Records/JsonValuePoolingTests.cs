// JsonValuePooling: string fields whose values repeat share instances; the others are decoded directly, to the same text.
using System.Text;
using System.Text.Json;
using Etl.Records;

namespace Etl.Core.Tests.Records;

public sealed class JsonValuePoolingTests
{
    private static string Read(JsonValuePooling pooling, NamePool pool, string json, string field = "f", int position = 0)
    {
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(json));
        reader.Read();
        return pooling.Read(ref reader, pool, field, position);
    }

    [Fact]
    public void JsonValuePooling_RepeatingValues_ShareOneInstance()
    {
        var (pooling, pool) = (new JsonValuePooling(), new NamePool());
        var values = Enumerable.Range(0, 300).Select(i => Read(pooling, pool, "\"paid\"")).ToList();

        Assert.All(values, v => Assert.Same(values[0], v));
    }

    [Fact]
    public void JsonValuePooling_ValuesThatNeverRepeat_AreStillReadExactly()
    {
        var (pooling, pool) = (new JsonValuePooling(), new NamePool());

        var values = Enumerable.Range(0, 300).Select(i => Read(pooling, pool, $"\"2026-01-01T00:{i / 60:00}:{i % 60:00}Z \\u00e9\"")).ToList();

        Assert.Equal(Enumerable.Range(0, 300).Select(i => $"2026-01-01T00:{i / 60:00}:{i % 60:00}Z é"), values);
    }

    [Fact]
    public void JsonValuePooling_ValuesThatNeverRepeat_StopBeingPooled()
    {
        var (pooling, pool) = (new JsonValuePooling(), new NamePool());
        foreach (var i in Enumerable.Range(0, 200))
        {
            Read(pooling, pool, $"\"t{i}\"");
        }

        Assert.NotSame(Read(pooling, pool, "\"t999\""), Read(pooling, pool, "\"t999\""));
    }

    [Fact]
    public void JsonValuePooling_AnotherFieldAtThePosition_IsJudgedAfresh()
    {
        var (pooling, pool) = (new JsonValuePooling(), new NamePool());
        foreach (var i in Enumerable.Range(0, 200))
        {
            Read(pooling, pool, $"\"t{i}\"", "created_at");
        }

        Assert.Same(Read(pooling, pool, "\"paid\"", "status"), Read(pooling, pool, "\"paid\"", "status"));
    }
}
