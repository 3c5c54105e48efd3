// RecordPath: dotted paths and array indexes into nested records, and the errors of malformed paths.
using Etl.Records;
using Record = Etl.Records.Record;

namespace Etl.Core.Tests.Records;

public sealed class RecordPathTests
{
    private static Record Order()
    {
        var address = new Record();
        address.Set("country", "DE");
        var customer = new Record();
        customer.Set("name", "Acme");
        customer.Set("address", address);
        var first = new Record();
        first.Set("sku", "A");
        first.Set("tags", new List<object?> { "red", "blue" });
        var order = new Record();
        order.Set("id", 1L);
        order.Set("customer", customer);
        order.Set("items", new List<object?> { first, null });
        return order;
    }

    [Theory]
    [InlineData("id", 1L)]
    [InlineData("customer.name", "Acme")]
    [InlineData("customer.address.country", "DE")]
    [InlineData("items[0].sku", "A")]
    [InlineData("items[0].tags[1]", "blue")]
    [InlineData("items[0]tags[0]", "red")]
    public void Read_ExistingPath_ReturnsTheNestedValue(string path, object expected)
    {
        Assert.Equal(expected, RecordPath.Parse(path).Read(Order()));
    }

    [Theory]
    [InlineData("missing")]
    [InlineData("customer.missing.deeper")]
    [InlineData("items[5].sku")]
    [InlineData("items[1].sku")]
    [InlineData("id.sub")]
    [InlineData("customer[0]")]
    [InlineData("items.sku")]
    public void Read_PathThatLeadsNowhere_ReturnsNull(string path)
    {
        Assert.Null(RecordPath.Parse(path).Read(Order()));
    }

    [Fact]
    public void Read_RequestPath_ReadsTheRequestValues()
    {
        var record = new Record { Request = new Dictionary<string, string> { ["id"] = "17" } };

        Assert.Equal("17", RecordPath.Parse("$request.id").Read(record));
    }

    [Fact]
    public void Read_ParentPath_ReadsTheCarriedFieldByItsWholeName()
    {
        var record = new Record { Parent = new Dictionary<string, object?> { ["address.city"] = "Lyon", ["id"] = 7L } };

        Assert.Equal(("Lyon", 7L), (RecordPath.Parse("$parent.address.city").Read(record), RecordPath.Parse("$parent.id").Read(record)));
    }

    [Theory]
    [InlineData("a..b", "path 'a..b': empty name at position 2")]
    [InlineData("a[-1]", "path 'a[-1]': expected [n] with a non-negative index at position 1")]
    [InlineData("a[x]", "path 'a[x]': expected [n] with a non-negative index at position 1")]
    [InlineData("a[0", "path 'a[0': expected [n] with a non-negative index at position 1")]
    [InlineData("[0].a", "path '[0].a': must start with a field name")]
    [InlineData(".a", "path '.a': empty name at position 0")]
    public void Parse_MalformedPath_SaysWhereAndWhy(string path, string message)
    {
        Assert.Equal(message, Assert.Throws<FormatException>(() => RecordPath.Parse(path)).Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void Parse_Blank_Throws(string path)
    {
        Assert.ThrowsAny<ArgumentException>(() => RecordPath.Parse(path));
    }

    [Theory]
    [InlineData("id", true, "id")]
    [InlineData("customer.name", false, "customer")]
    [InlineData("items[0]", false, "items")]
    public void Parse_Path_KnowsItsRootAndWhetherItIsSimple(string path, bool simple, string root)
    {
        var parsed = RecordPath.Parse(path);

        Assert.Equal((simple, root, path), (parsed.IsSimple, parsed.Root, parsed.ToString()));
    }
}
