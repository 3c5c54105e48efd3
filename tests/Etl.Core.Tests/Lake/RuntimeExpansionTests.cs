// RuntimeExpansion.Apply: ${incremental.last} is filled in every string of any source spec.
using Etl.Runtime;
using Etl.Sources;
using Etl.Spec;

namespace Etl.Core.Tests.Lake;

public sealed class RuntimeExpansionTests
{
    [Fact]
    public void ExpandRuntime_PlaceholderInPath_IsFilled()
    {
        var spec = new CsvSourceSpec { Path = "in/after-${incremental.last}.csv", Incremental = new IncrementalSpec { CursorField = "id" } };

        var expanded = RuntimeExpansion.Apply(spec, new Dictionary<string, string> { ["incremental.last"] = "42" });

        Assert.Equal("in/after-42.csv", ((CsvSourceSpec)expanded).Path);
        Assert.Equal("id", expanded.Incremental!.CursorField);
    }

    [Fact]
    public void ExpandRuntime_NoPlaceholder_ReturnsTheSameSpec()
    {
        var spec = new JsonLinesSourceSpec { Path = "in/a.jsonl" };

        Assert.Same(spec, RuntimeExpansion.Apply(spec, new Dictionary<string, string> { ["incremental.last"] = "42" }));
    }

    [Fact]
    public void Load_SpecUsingIncrementalLast_KeepsItForTheRuntime()
    {
        var loaded = SpecLoader.Parse("""
            { "name": "t", "source": { "type": "jsonl", "path": "in/${incremental.last}.jsonl", "incremental": { "cursorField": "updated_at", "initial": "2026-01-01T00:00:00Z" } },
              "sinks": [ { "type": "parquet", "path": "out" } ] }
            """, "t.json");

        Assert.Equal("in/${incremental.last}.jsonl", ((JsonLinesSourceSpec)loaded.Spec.Source).Path);
        Assert.Equal("2026-01-01T00:00:00Z", loaded.Spec.Source.Incremental!.Initial);
    }

    [Fact]
    public void Load_IncrementalWithoutCursorField_IsRefused()
    {
        var e = Assert.Throws<SpecException>(() => SpecLoader.Parse("""
            { "name": "t", "source": { "type": "csv", "path": "in.csv", "incremental": { "initial": "0" } },
              "sinks": [ { "type": "parquet", "path": "out" } ] }
            """, "t.json"));

        Assert.Contains("missing required field \"cursorField\"", e.Message, StringComparison.Ordinal);
    }
}
