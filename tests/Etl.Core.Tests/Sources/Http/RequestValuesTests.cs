// RequestValues read as a dictionary: each placeholder value as text, by name, as records carry them in Request.
using Etl.Sources.Http;

namespace Etl.Core.Tests.Sources.Http;

public sealed class RequestValuesTests
{
    private static RequestValues Values() => new(["id", "day"], [42L, "2026-11-28"]);

    [Fact]
    public void TryGetValue_DeclaredName_GivesTheValueAsText()
    {
        Assert.True(Values().Text.TryGetValue("id", out var id));
        Assert.Equal("42", id);
    }

    [Fact]
    public void TryGetValue_UndeclaredName_FindsNothing()
    {
        Assert.False(Values().Text.TryGetValue("page", out _));
    }

    [Fact]
    public void Enumeration_GivesEveryValueInTheOrderOfValues()
    {
        Assert.Equal([new("id", "42"), new("day", "2026-11-28")], Values().Text.ToList());
    }

    [Fact]
    public void Indexer_UndeclaredName_ThrowsKeyNotFound()
    {
        Assert.Throws<KeyNotFoundException>(() => Values().Text["page"]);
    }
}
