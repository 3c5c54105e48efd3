// The nested fields the plan tells the source its transforms will read first.
using Etl.Runtime;
using Etl.Spec;
using Etl.Transforms;

namespace Etl.Core.Tests.Runtime;

public sealed class NestedReadsPlanTests
{
    private static SelectTransformSpec Select(params string[] paths) =>
        new() { Columns = paths.Select((p, i) => (p, i)).ToDictionary(c => $"c{c.i}", c => c.p) };

    private static readonly ExplodeTransformSpec ExplodeItems = new() { Path = "items", As = "item" };

    [Fact]
    public void For_ExplodeThenSelect_ReadsElementFieldsOfTheArrayAndObjectFieldsOfTheRest()
    {
        var reads = NestedReadsPlan.For([ExplodeItems, Select("id", "customer.name", "item.sku", "item.qty", "item.sku", "customer.country")]);

        Assert.Equal(["name", "country"], reads.ObjectFields["customer"]);
        Assert.Equal(["sku", "qty"], reads.ElementFields["items"]);
        Assert.Equal(2, reads.ObjectFields.Count + reads.ElementFields.Count);
    }

    [Fact]
    public void For_SelectFirst_ReadsObjectFieldsOnly()
    {
        var reads = NestedReadsPlan.For([Select("customer.name", "items[0].sku", "a.b.c", "$request.id")]);

        Assert.Equal(["name"], Assert.Single(reads.ObjectFields).Value);
        Assert.Empty(reads.ElementFields);
    }

    [Fact]
    public void For_NoSelectRightAfterTheSourceOrExplode_ReadsNothing()
    {
        TransformSpec filter = new FilterTransformSpec { Where = "id > 1" };

        Assert.True(NestedReadsPlan.For(null).IsEmpty);
        Assert.True(NestedReadsPlan.For([filter, Select("customer.name")]).IsEmpty);
        Assert.True(NestedReadsPlan.For([ExplodeItems, filter, Select("item.sku")]).IsEmpty);
    }

    [Fact]
    public void For_ExplodeThenSelect_TopLevelIsTheRootsTheSelectReadsAndTheArray()
    {
        var reads = NestedReadsPlan.For([ExplodeItems, Select("id", "customer.name", "item.sku", "tags[0]")]);

        Assert.Equal(["customer", "id", "item", "items", "tags"], reads.TopLevel!.Order(StringComparer.Ordinal));
        Assert.False(reads.Reads("note"));
    }

    [Fact]
    public void For_SelectOfARequestPath_MayReadEveryTopLevelField()
    {
        var reads = NestedReadsPlan.For([Select("customer.name", "$request.id")]);

        Assert.Null(reads.TopLevel);
        Assert.True(reads.Reads("note"));
    }
}
