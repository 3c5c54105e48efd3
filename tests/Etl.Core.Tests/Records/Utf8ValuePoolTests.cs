// Utf8ValuePool: short string values found by their UTF-8 bytes, decoded as Encoding.UTF8 decodes them.
using System.Text;
using System.Text.Json;
using Etl.Records;

namespace Etl.Core.Tests.Records;

public sealed class Utf8ValuePoolTests
{
    private static string? Get(Utf8ValuePool pool, byte[] json, bool lookUp, out bool found)
    {
        var reader = new Utf8JsonReader(json);
        reader.Read();
        return pool.Get(ref reader, lookUp, out found);
    }

    private static string? Get(Utf8ValuePool pool, string json, bool lookUp = true) => Get(pool, Encoding.UTF8.GetBytes(json), lookUp, out _);

    [Fact]
    public void Utf8ValuePool_RepeatedValue_IsOneInstance()
    {
        var pool = new Utf8ValuePool();
        var first = Get(pool, "\"Zoë 東京\"");

        var second = Get(pool, Encoding.UTF8.GetBytes("\"Zoë 東京\""), lookUp: true, out var found);

        Assert.Equal("Zoë 東京", first);
        Assert.Same(first, second);
        Assert.True(found);
    }

    [Fact]
    public void Utf8ValuePool_WithoutLookUp_DecodesAFreshString()
    {
        var pool = new Utf8ValuePool();
        var first = Get(pool, "\"paid\"");

        Assert.NotSame(first, Get(pool, "\"paid\"", lookUp: false));
        Assert.Equal("paid", Get(pool, "\"paid\"", lookUp: false));
    }

    [Fact]
    public void Utf8ValuePool_EscapedOrLongerThanSixtyFourBytes_AreLeftToTheCaller()
    {
        var pool = new Utf8ValuePool();

        Assert.Null(Get(pool, "\"a\\u00e9\""));
        Assert.Null(Get(pool, $"\"{new string('x', 65)}\""));
        Assert.Equal(new string('x', Utf8ValuePool.MaxChars), Get(pool, $"\"{new string('x', Utf8ValuePool.MaxChars)}\""));
    }

    [Fact]
    public void Utf8ValuePool_ValueOfMoreThanMaxChars_IsDecodedButNotKept()
    {
        var pool = new Utf8ValuePool();
        var json = Encoding.UTF8.GetBytes($"\"{new string('x', Utf8ValuePool.MaxChars + 1)}\"");

        var first = Get(pool, json, lookUp: true, out _);
        var second = Get(pool, json, lookUp: true, out var found);

        Assert.Equal(new string('x', Utf8ValuePool.MaxChars + 1), second);
        Assert.NotSame(first, second);
        Assert.False(found);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Utf8ValuePool_InvalidUtf8_IsDecodedWithReplacementCharacters(bool lookUp)
    {
        var pool = new Utf8ValuePool();
        byte[] json = [(byte)'"', (byte)'a', 0xC3, (byte)'b', (byte)'"'];

        Assert.Equal(Encoding.UTF8.GetString(json[1..^1]), Get(pool, json, lookUp, out _));
        Assert.Equal(Encoding.UTF8.GetString(json[1..^1]), Get(pool, json, lookUp, out _));
    }

    [Fact]
    public void Utf8ValuePool_MoreValuesThanSlots_AreEachReadExactly()
    {
        var pool = new Utf8ValuePool();
        var values = Enumerable.Range(0, 20_000).Select(i => $"SKU-{i:00000}").ToList();

        var read = values.Concat(values).Select(v => Get(pool, $"\"{v}\"")).ToList();

        Assert.Equal(values.Concat(values), read);
    }

    [Theory]
    [InlineData(63)]
    [InlineData(64)]
    public void Utf8ValuePool_ValuesOfUpToSixtyFourBytes_AreReadExactlyEveryTime(int bytes)
    {
        var pool = new Utf8ValuePool();
        var text = new string('é', bytes / 2) + new string('x', bytes % 2);

        Assert.Equal(text, Get(pool, $"\"{text}\""));
        Assert.Equal(text, Get(pool, $"\"{text}\""));
    }

    [Fact]
    public void Utf8ValuePool_EmptyString_IsTheEmptyString()
    {
        var pool = new Utf8ValuePool();

        Assert.Equal("", Get(pool, "\"\""));
        Assert.Equal("", Get(pool, "\"\""));
    }
}
