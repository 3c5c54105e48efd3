// Record: ordered named values, shared name arrays copied on write, origins composed only when read.
using Record = Etl.Records.Record;

namespace Etl.Core.Tests.Records;

public sealed class RecordTests
{
    private static Record Row(string[] names, params object?[] values) => new(names, values);

    [Fact]
    public void Record_FromSharedNames_ReadsValuesByName()
    {
        var record = Row(["id", "name"], 1L, "ada");

        Assert.Equal((1L, "ada"), (record["id"], record["name"]));
    }

    [Fact]
    public void Indexer_MissingName_ReadsNull()
    {
        var record = Row(["id"], 1L);

        Assert.Null(record["name"]);
    }

    [Fact]
    public void TryGet_NameHoldingNull_ReturnsTrue()
    {
        var record = Row(["id"], [null]);

        Assert.True(record.TryGet("id", out var value));
        Assert.Null(value);
    }

    [Fact]
    public void TryGet_MissingName_ReturnsFalse()
    {
        var record = Row(["id"], 1L);

        Assert.False(record.TryGet("ID", out _));
    }

    [Fact]
    public void Set_NewName_AppendsItLast()
    {
        var record = Row(["id", "name"], 1L, "ada");

        record.Set("country", "FR");

        Assert.Equal(["id", "name", "country"], record.Names);
    }

    [Fact]
    public void Set_ExistingName_ReplacesTheValueInPlace()
    {
        var record = Row(["id", "name"], 1L, "ada");

        record["id"] = 2L;

        Assert.Equal((2L, 2), (record["id"], record.Count));
    }

    [Fact]
    public void Set_NewName_LeavesRecordsSharingTheNamesUnchanged()
    {
        string[] names = ["id", "name"];
        var first = Row(names, 1L, "ada");
        var second = Row(names, 2L, "bob");

        first.Set("country", "FR");

        Assert.Equal(["id", "name"], second.Names);
        Assert.Equal(["id", "name"], names);
    }

    [Fact]
    public void SharedNames_UntilTheShapeChanges_IsTheArrayGiven()
    {
        string[] names = ["id", "name"];

        var record = Row(names, 1L, "ada");

        Assert.Same(names, record.SharedNames);
    }

    [Fact]
    public void SharedNames_AfterANewField_IsNull()
    {
        var record = Row(["id"], 1L);

        record.Set("name", "ada");

        Assert.Null(record.SharedNames);
    }

    [Fact]
    public void Remove_Name_ClosesTheGap()
    {
        var record = Row(["id", "name", "country"], 1L, "ada", "FR");

        Assert.True(record.Remove("name"));

        Assert.Equal(["id", "country"], record.Names);
        Assert.Equal("FR", record.ValueAt(1));
    }

    [Fact]
    public void Remove_MissingName_ReturnsFalse()
    {
        var record = Row(["id"], 1L);

        Assert.False(record.Remove("name"));
    }

    [Fact]
    public void Rename_ToAFreeName_KeepsThePosition()
    {
        var record = Row(["id", "name"], 1L, "ada");

        record.Rename("name", "customer");

        Assert.Equal(["id", "customer"], record.Names);
        Assert.Equal("ada", record["customer"]);
    }

    [Fact]
    public void Rename_OntoAnExistingName_ReplacesThatField()
    {
        var record = Row(["id", "name", "label"], 1L, "ada", "old");

        record.Rename("name", "label");

        Assert.Equal(["id", "label"], record.Names);
        Assert.Equal("ada", record["label"]);
    }

    [Fact]
    public void Rename_MissingName_ChangesNothing()
    {
        var record = Row(["id"], 1L);

        record.Rename("name", "customer");

        Assert.Equal(["id"], record.Names);
    }

    [Fact]
    public void Clone_ChangedCopy_LeavesTheOriginalUnchanged()
    {
        var original = Row(["id", "name"], 1L, "ada");

        var copy = original.Clone();
        copy["name"] = "bob";
        copy.Set("country", "FR");

        Assert.Equal(["id", "name"], original.Names);
        Assert.Equal("ada", original["name"]);
    }

    [Fact]
    public void Clone_KeepsOriginRequestAndCursor()
    {
        var original = Row(["id"], 1L);
        original.SetOrigin("in.csv", 12);
        original.Request = new Dictionary<string, string> { ["page"] = "2" };
        original.Cursor = 5L;

        var copy = original.Clone();

        Assert.Equal(("in.csv:12", "2", (object?)5L), (copy.Origin, copy.Request!["page"], copy.Cursor));
    }

    [Fact]
    public void Origin_SetFromFileAndPosition_JoinsThemWithAColon()
    {
        var record = new Record();

        record.SetOrigin("data/in/orders.csv", 10233);

        Assert.Equal("data/in/orders.csv:10233", record.Origin);
    }

    [Fact]
    public void Origin_SetWithASeparator_UsesIt()
    {
        var record = new Record();

        record.SetOrigin("orders.parquet", 7, ":row ");

        Assert.Equal("orders.parquet:row 7", record.Origin);
    }

    [Fact]
    public void Origin_AssignedAfterSetOrigin_Wins()
    {
        var record = new Record();
        record.SetOrigin("orders.csv", 7);

        record.Origin = "https://api.example.com/orders/17";

        Assert.Equal("https://api.example.com/orders/17", record.Origin);
    }

    [Fact]
    public void Origin_NeverSet_IsNull()
    {
        Assert.Null(new Record().Origin);
    }

    [Fact]
    public void CopyOriginFrom_CopiesOriginRequestAndCursor()
    {
        var source = new Record();
        source.SetOrigin("orders.jsonl", 3);
        source.Request = new Dictionary<string, string> { ["id"] = "17" };
        source.Cursor = "2026-11-28";
        var target = new Record();

        target.CopyOriginFrom(source);

        Assert.Equal(("orders.jsonl:3", "17", (object?)"2026-11-28"), (target.Origin, target.Request!["id"], target.Cursor));
    }

    [Fact]
    public void Record_WithCapacity_GrowsPastIt()
    {
        var record = new Record(capacity: 1);

        record.Set("a", 1L);
        record.Set("b", 2L);
        record.Set("c", 3L);

        Assert.Equal(["a", "b", "c"], record.Names);
        Assert.Equal(3L, record["c"]);
    }
}
