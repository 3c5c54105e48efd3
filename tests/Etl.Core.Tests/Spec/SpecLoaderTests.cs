// SpecLoader: every problem of a spec at once, each as "file:line:col $.json.path: message"; the texts are pinned.
using Etl.Sinks;
using Etl.Sources;
using Etl.Spec;
using Etl.Transforms;

namespace Etl.Core.Tests.Spec;

public sealed class SpecLoaderTests
{
    private static IReadOnlyList<string> Errors(string text, IReadOnlyDictionary<string, string>? overrides = null) =>
        [.. Assert.Throws<SpecException>(() => SpecLoader.Parse(text, "p.json", overrides)).Errors.Select(e => e.ToString())];

    private const string Good = """
        {
          "name": "orders",
          "parameters": { "date": "2026-01-01" },
          "source": { "type": "csv", "path": "in/orders.csv" },
          "transforms": [ { "type": "filter", "where": "amount > 100" } ],
          "schema": { "id": "int64 not null", "amount": "decimal(18,2)" },
          "sinks": [ { "type": "parquet", "path": "lake/date=${date}" } ]
        }
        """;

    [Fact]
    public void Parse_GoodSpec_GivesTypedComponentsAndExpandedParameters()
    {
        var loaded = SpecLoader.Parse(Good, "p.json", new Dictionary<string, string> { ["date"] = "2026-11-28" });

        Assert.Equal("in/orders.csv", Assert.IsType<CsvSourceSpec>(loaded.Spec.Source).Path);
        Assert.Equal("amount > 100", Assert.IsType<FilterTransformSpec>(Assert.Single(loaded.Spec.Transforms!)).Where);
        var sink = Assert.IsType<ParquetSinkSpec>(Assert.Single(loaded.Spec.Sinks));
        Assert.Equal(("lake/date=2026-11-28", ParquetCompression.Snappy), (sink.Path, sink.Compression));
        Assert.Equal("2026-11-28", loaded.Parameters["date"]);
    }

    [Fact]
    public void Parse_GoodSpec_DigestIsTheSha256OfTheTextAsRead_AlsoOnACopy()
    {
        var loaded = SpecLoader.Parse(Good, "p.json", new Dictionary<string, string> { ["date"] = "2026-11-28" });
        var expected = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(Good)));

        Assert.Equal(expected, (loaded with { Spec = loaded.Spec with { Name = "copy" } }).Sha256);
        Assert.Equal(expected, loaded.Sha256);
    }

    [Fact]
    public void Parse_GoodSpec_ReadsItWithOptionsThatKnowOnlyTheComponentsItUses()
    {
        var loaded = SpecLoader.Parse(Good, "p.json");

        static IEnumerable<Type> Derived(LoadedSpec l, Type baseType) =>
            l.SerializerOptions.GetTypeInfo(baseType).PolymorphismOptions!.DerivedTypes.Select(d => d.DerivedType);
        Assert.Equal([typeof(CsvSourceSpec)], Derived(loaded, typeof(SourceSpec)));
        Assert.Equal([typeof(FilterTransformSpec)], Derived(loaded, typeof(TransformSpec)));
        Assert.Equal([typeof(ParquetSinkSpec)], Derived(loaded, typeof(SinkSpec)));
    }

    [Fact]
    public void Parse_SinkTypeFromAParameter_ReadsTheComponentTheParameterNames()
    {
        var text = Good.Replace("\"date\": \"2026-01-01\"", "\"date\": \"2026-01-01\", \"format\": \"parquet\"", StringComparison.Ordinal)
            .Replace("\"type\": \"parquet\"", "\"type\": \"${format}\"", StringComparison.Ordinal);

        Assert.IsType<CsvSinkSpec>(Assert.Single(SpecLoader.Parse(text, "p.json", new Dictionary<string, string> { ["format"] = "csv" }).Spec.Sinks));
        Assert.IsType<ParquetSinkSpec>(Assert.Single(SpecLoader.Parse(text, "p.json").Spec.Sinks));
    }

    [Fact]
    public void Parse_SourceWithoutRuntimePlaceholders_SaysSoForTheRunner()
    {
        Assert.False(SpecLoader.Parse(Good, "p.json").SourceHasRuntimePlaceholders);
        Assert.True(SpecLoader.Parse(Good.Replace("in/orders.csv", "in/${incremental.last}.csv", StringComparison.Ordinal), "p.json").SourceHasRuntimePlaceholders);
    }

    [Fact]
    public void Parse_GoodSpec_PinsEveryDefault()
    {
        var loaded = SpecLoader.Parse(Good, "p.json");

        var csv = Assert.IsType<CsvSourceSpec>(loaded.Spec.Source);
        Assert.Equal((",", "\"", true, "utf-8", true, 1000), (csv.Delimiter, csv.Quote, csv.Header, csv.Encoding, csv.InferTypes, csv.SampleRows));
        var sink = Assert.IsType<ParquetSinkSpec>(loaded.Spec.Sinks[0]);
        Assert.Equal((SinkMode.Overwrite, 1, (long?)null), (sink.Mode, sink.Writers, sink.MaxRowsPerFile));
        Assert.Null(loaded.Spec.Batch);
        Assert.Equal((10_000, 8_192, 1), (BatchSpec.DefaultSize, BatchSpec.DefaultBoundedCapacity, new BatchSpec().Parallelism));
        Assert.Equal((0L, 0L), (new ErrorsSpec().MaxFailedRecords, new ErrorsSpec().MaxFailedRequests));
        Assert.Equal(1_000, ParquetSink.MaxRowGroupsPerFile);
    }

    [Fact]
    public void Parse_UnknownField_NamesItWithLineColumnAndDidYouMean()
    {
        var text = Good.Replace("\"path\": \"in/orders.csv\"", "\"path\": \"in/orders.csv\", \"delimter\": \";\"", StringComparison.Ordinal);

        Assert.Equal(["p.json:4:55 $.source.delimter: unknown field \"delimter\" (did you mean \"delimiter\"?)"], Errors(text));
    }

    [Fact]
    public void Parse_WrongEnum_ListsTheAllowedValues()
    {
        var text = Good.Replace("\"path\": \"lake/date=${date}\"", "\"path\": \"lake\", \"compression\": \"lz5\"", StringComparison.Ordinal);

        Assert.Equal(["p.json:7:51 $.sinks[0].compression: expected one of snappy, gzip, zstd, none; got \"lz5\""], Errors(text));
    }

    [Fact]
    public void Parse_WrongType_SaysWhatWasExpectedAndFound()
    {
        var text = Good.Replace("\"transforms\": [", "\"batch\": { \"size\": \"big\" },\n  \"transforms\": [", StringComparison.Ordinal);

        Assert.Equal(["p.json:5:14 $.batch.size: expected an integer; got \"big\""], Errors(text));
    }

    [Fact]
    public void Parse_MissingRequiredField_NamesIt()
    {
        var text = Good.Replace("\"where\": \"amount > 100\"", "\"wher\": \"amount > 100\"", StringComparison.Ordinal);

        Assert.Equal(
            [
                "p.json:5:19 $.transforms[0]: missing required field \"where\"",
                "p.json:5:39 $.transforms[0].wher: unknown field \"wher\" (did you mean \"where\"?)",
            ],
            Errors(text));
    }

    [Fact]
    public void Parse_BadColumnType_ListsTheTypes()
    {
        var text = Good.Replace("\"decimal(18,2)\"", "\"money\"", StringComparison.Ordinal);

        Assert.Equal(["p.json:6:39 $.schema.amount: expected one of string, bool, int32, int64, double, decimal(p,s), date, timestamp (optionally followed by 'not null'); got \"money\""], Errors(text));
    }

    [Fact]
    public void Parse_UnknownOverride_SuggestsTheDeclaredParameter()
    {
        Assert.Equal(["p.json:3:3 $.parameters: --param dat: the spec declares no parameter 'dat' (did you mean 'date'?)"],
            Errors(Good, new Dictionary<string, string> { ["dat"] = "x" }));
    }

    [Fact]
    public void Parse_BadExpression_IsReportedBeforeAnyRun()
    {
        var text = Good.Replace("amount > 100", "amount >", StringComparison.Ordinal);

        var error = Assert.Single(Errors(text));
        Assert.StartsWith("p.json:5:39 $.transforms[0].where: expression \"amount >\": ", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_InvalidJson_NamesLineAndColumn()
    {
        var error = Assert.Single(Errors("{\n  \"name\": \"x\",\n  \"source\": { \"type\" \"csv\" }\n}"));

        Assert.StartsWith("p.json:3:", error, StringComparison.Ordinal);
        Assert.Contains("invalid JSON", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_SeveralProblems_AreAllReportedInTextOrder()
    {
        const string Text = """
            {
              "nmae": "orders",
              "source": { "type": "xml", "path": "in/${dat}.csv" },
              "schema": { "amount": "decimal(18)" },
              "sinks": [ { "type": "parquet", "path": "lake", "compression": "lz5" } ]
            }
            """;

        string[] expected =
        [
            "p.json:1:1 $: missing required field \"name\"",
            "p.json:2:3 $.nmae: unknown field \"nmae\" (did you mean \"name\"?)",
            "p.json:3:15 $.source.type: expected one of csv, jsonl, json, parquet, http; got \"xml\"",
            "p.json:3:30 $.source.path: unknown parameter ${dat}; the spec declares no parameters",
            "p.json:4:15 $.schema.amount: expected one of string, bool, int32, int64, double, decimal(p,s), date, timestamp (optionally followed by 'not null'); got \"decimal(18)\"",
            "p.json:5:51 $.sinks[0].compression: expected one of snappy, gzip, zstd, none; got \"lz5\"",
        ];
        Assert.Equal(expected, Errors(Text));
    }

    [Fact]
    public void Load_MissingFile_SaysItCannotBeRead()
    {
        var path = Path.Combine(Path.GetTempPath(), $"etl-missing-{Guid.NewGuid():N}.json");

        var error = Assert.Single(Assert.Throws<SpecException>(() => SpecLoader.Load(path)).Errors);

        Assert.StartsWith($"{path} $: cannot read the spec: ", error.ToString(), StringComparison.Ordinal);
    }
}
