// RepeatedStrings: one string per repeated value of a chunk's text column, until the column shows too many values.
using System.Text;
using Etl.Sources;

namespace Etl.Core.Tests.Sources;

public sealed class RepeatedStringsTests
{
    [Fact]
    public void RepeatedStrings_SameBytesTwice_GiveTheSameString()
    {
        var repeated = new RepeatedStrings();

        var first = repeated.Get("paid"u8);

        Assert.Equal("paid", first);
        Assert.Same(first, repeated.Get("paid"u8));
    }

    [Fact]
    public void RepeatedStrings_BytesThatAreNotUtf8_DecodeAsTheReplacementCharacter()
    {
        Assert.Equal(Encoding.UTF8.GetString([0x61, 0xFF]), new RepeatedStrings().Get([0x61, 0xFF]));
    }

    [Fact]
    public void RepeatedStrings_MoreDistinctValuesThanMaxValues_StopsSharing()
    {
        var repeated = new RepeatedStrings();
        for (var i = 0; i < RepeatedStrings.MaxValues; i++)
        {
            Assert.Equal($"v{i}", repeated.Get(Encoding.UTF8.GetBytes($"v{i}")));
        }

        Assert.Null(repeated.Get("one more"u8));
        Assert.Null(repeated.Get("v0"u8));
    }
}
