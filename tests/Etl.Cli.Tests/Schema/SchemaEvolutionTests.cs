// End to end: records that change shape mid-run land whole under evolve, and each schemaChange policy does what it says.
using System.Text;
using System.Text.Json;
using Etl.Cli.Tests.TestSupport;

namespace Etl.Cli.Tests.Schema;

public sealed class SchemaEvolutionTests : IDisposable
{
    private const int Stable = 20;
    private const int Drifted = 10;

    private readonly TestFolder _folder = new();

    public SchemaEvolutionTests()
    {
        // Records 1-20: id and whole amounts; from record 21 on a coupon appears and amounts have cents.
        var lines = new StringBuilder();
        for (var i = 1; i <= Stable; i++)
        {
            lines.Append("{\"id\": ").Append(i).Append(", \"amount\": ").Append(i * 10).Append("}\n");
        }
        for (var i = Stable + 1; i <= Stable + Drifted; i++)
        {
            lines.Append("{\"id\": ").Append(i).Append(", \"amount\": ").Append(i).Append(".25, \"coupon\": \"C").Append(i).Append("\"}\n");
        }
        _folder.Write("in/in.jsonl", lines.ToString());
    }

    public void Dispose() => _folder.Dispose();

    private string Spec(string extra = "", string sink = "parquet", int batch = 10) => _folder.Write("drift.json", $$"""
        {
          "name": "drift",
          "source": { "type": "jsonl", "path": {{_folder.Json("in/in.jsonl")}} },
          "batch": { "size": {{batch}} },
          {{extra}}
          "errors": { "deadLetterPath": {{_folder.Json("errors")}}, "maxFailedRecords": 100 },
          "sinks": [ { "type": "{{sink}}", "path": {{_folder.Json("lake/drift")}} } ]
        }
        """);

    private string Parquet => $"read_parquet({DuckDb.Quote(Path.Combine(_folder.PathOf("lake/drift"), "**", "*.parquet"))}, union_by_name = true)";

    private JsonElement Manifest => JsonDocument.Parse(File.ReadAllText(_folder.PathOf("lake/drift/_manifest.json"))).RootElement;

    private List<JsonElement> DeadLetters => [.. File.ReadLines(Directory.GetFiles(_folder.PathOf("errors")).Single()).Select(l => JsonDocument.Parse(l).RootElement)];

    [Fact]
    public async Task Evolve_NewFieldAndFractionsMidRun_LandsEveryRecordAndValue()
    {
        var result = await EtlCli.RunOkAsync("run", Spec());

        Assert.Equal(Stable + Drifted, result.Summary.Written);
        Assert.Equal(0, result.Summary.Failed);
        Assert.Equal([["1", "10.0", null], ["20", "200.0", null], ["21", "21.25", "C21"], ["30", "30.25", "C30"]],
            DuckDb.Rows($"SELECT id, amount, coupon FROM {Parquet} WHERE id IN (1, 20, 21, 30) ORDER BY id"));
    }

    [Fact]
    public async Task Evolve_NewFieldAndFractionsMidRun_SummarySaysWhatEvolvedAndWhere()
    {
        var result = await EtlCli.RunOkAsync("run", Spec());

        var origin = _folder.PathOf("in/in.jsonl") + ":21";
        Assert.Contains($"drift: schema evolved: +coupon (string) at {origin}; amount int64 → double at {origin}", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Evolve_NewFieldAndFractionsMidRun_ManifestHoldsFinalSchemaEachFilesSchemaAndTheChanges()
    {
        await EtlCli.RunOkAsync("run", Spec());

        var manifest = Manifest;
        Assert.Equal(["id int64", "amount double", "coupon string"], Columns(manifest.GetProperty("schema")));
        var fileSchemas = manifest.GetProperty("files").EnumerateArray().Select(f => string.Join(", ", Columns(f.GetProperty("schema")))).ToHashSet();
        Assert.Equal(["id int64, amount double, coupon string", "id int64, amount int64"], fileSchemas.Order(StringComparer.Ordinal));
        Assert.Equal(2, manifest.GetProperty("schemaChanges").GetArrayLength());
    }

    [Fact]
    public async Task Evolve_CsvSink_StartsANewFileWithTheNewHeader()
    {
        await EtlCli.RunOkAsync("run", Spec(sink: "csv"));

        var headers = Directory.GetFiles(_folder.PathOf("lake/drift"), "*.csv", SearchOption.AllDirectories).Select(f => File.ReadLines(f).First()).Order(StringComparer.Ordinal);
        Assert.Equal(["id,amount", "id,amount,coupon"], headers);
        var csv = $"read_csv({DuckDb.Quote(Path.Combine(_folder.PathOf("lake/drift"), "**", "*.csv"))}, union_by_name = true)";
        Assert.Equal([["30", "10"]], DuckDb.Rows($"SELECT count(*), count(coupon) FROM {csv}"));
    }

    [Fact]
    public async Task Evolve_EvolvedFolder_IsReadBackByOwnParquetSourceByColumnName()
    {
        await EtlCli.RunOkAsync("run", Spec());
        var copy = _folder.Write("copy.json", $$"""
            {
              "name": "copy",
              "source": { "type": "parquet", "path": {{_folder.Json("lake/drift")}} },
              "sinks": [ { "type": "parquet", "path": {{_folder.Json("lake/copy")}} } ]
            }
            """);

        var result = await EtlCli.RunOkAsync("run", copy);

        Assert.Equal(Stable + Drifted, result.Summary.Written);
        var copied = DuckDb.Parquet(_folder.PathOf("lake/copy"));
        Assert.Equal([["30", "2357.5", "10"]], DuckDb.Rows($"SELECT count(*), sum(amount), count(coupon) FROM {copied}"));
    }

    [Fact]
    public async Task Evolve_DeclaredColumn_NeverWidens()
    {
        var result = await EtlCli.RunAsync("run", Spec("\"schema\": { \"amount\": \"int64\" },"));

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(Drifted, result.Summary.Failed);
        Assert.Equal("column 'amount': \"21.25\" is not a int64", DeadLetters[0].GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Freeze_RecordsThatDoNotFit_AreDeadLetteredNamingTheColumn()
    {
        var result = await EtlCli.RunOkAsync("run", Spec("\"schemaChange\": \"freeze\","));

        Assert.Equal(new Summary("drift", "succeeded", 30, 0, Drifted, 0, Stable, 1), result.Summary);
        var letter = DeadLetters[0];
        Assert.Equal("coupon", letter.GetProperty("column").GetString());
        Assert.Equal("column 'coupon' is not in the schema fixed from the first batch (schemaChange is freeze)", letter.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Freeze_WiderValueInKnownColumn_IsDeadLetteredWithTheReason()
    {
        _folder.Write("in/in.jsonl", "{\"n\": 1}\n{\"n\": 2.5}\n");
        var spec = Spec("\"schemaChange\": \"freeze\",", batch: 1);

        var result = await EtlCli.RunOkAsync("run", spec);

        Assert.Equal(1, result.Summary.Failed);
        Assert.Equal("column 'n': \"2.5\" is not a int64 (schemaChange is freeze)", DeadLetters[0].GetProperty("reason").GetString());
    }

    [Fact]
    public async Task DiscardColumns_LaterColumn_IsNotWrittenAndFractionsAreDeadLettered()
    {
        var result = await EtlCli.RunOkAsync("run", Spec("\"schemaChange\": \"discardColumns\","));

        Assert.Equal(Drifted, result.Summary.Failed);
        Assert.Equal([("id", "BIGINT"), ("amount", "BIGINT")], DuckDb.Describe($"SELECT * FROM {Parquet}"));
        Assert.DoesNotContain("schema evolved", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Evolve_TextInNumberColumnWithWidenToString_WidensToString()
    {
        _folder.Write("in/in.jsonl", "{\"n\": 1}\n{\"n\": \"n/a\"}\n");
        var spec = Spec("\"widenToString\": true,", batch: 1);

        var result = await EtlCli.RunOkAsync("run", spec);

        Assert.Equal(0, result.Summary.Failed);
        Assert.Equal([["1"], ["n/a"]], DuckDb.Rows($"SELECT n FROM {Parquet} ORDER BY n"));
    }

    [Fact]
    public async Task Evolve_TextInNumberColumnWithoutWidenToString_IsDeadLettered()
    {
        _folder.Write("in/in.jsonl", "{\"n\": 1}\n{\"n\": \"n/a\"}\n");
        var spec = Spec(batch: 1);

        var result = await EtlCli.RunOkAsync("run", spec);

        Assert.Equal(1, result.Summary.Failed);
        Assert.Equal("column 'n': \"n/a\" is not a int64", DeadLetters[0].GetProperty("reason").GetString());
    }

    private static List<string> Columns(JsonElement schema) =>
        [.. schema.EnumerateArray().Select(c => $"{c.GetProperty("name").GetString()} {c.GetProperty("type").GetString()}")];
}
