// etl validate: every problem at once, each with file:line:column, JSON path, expectation and a hint.
using Etl.Cli.Tests.TestSupport;

namespace Etl.Cli.Tests.Commands;

public sealed class ValidateCommandTests : IDisposable
{
    private readonly TestFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private string Write(string json)
    {
        var path = _folder.PathOf("spec.json");
        File.WriteAllText(path, json.ReplaceLineEndings("\n"));
        return path;
    }

    [Fact]
    public async Task Validate_BadSpec_ReportsEveryProblemWithLineColumnPathAndHint()
    {
        var path = Write("""
            {
              "name": "bad",
              "parameters": { "date": "2026-01-01" },
              "source": { "type": "csv", "path": "x.csv", "delimter": ";", "header": "yes" },
              "transforms": [ { "type": "filtr", "where": "a > 1" }, { "type": "derive", "column": "x" } ],
              "schema": { "a": "int65" },
              "sinks": [ { "type": "parquet", "path": "out/${dat}", "compression": "lz5" } ],
              "errors": { "maxFailedRecords": -1 }
            }
            """);

        var result = await EtlCli.RunAsync("validate", path);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal(
            $"""
            {path}:4:47 $.source.delimter: unknown field "delimter" (did you mean "delimiter"?)
            {path}:4:64 $.source.header: expected a boolean; got "yes"
            {path}:5:21 $.transforms[0].type: expected one of select, rename, drop, cast, filter, derive, explode; got "filtr"
            {path}:5:58 $.transforms[1]: missing required field "expression"
            {path}:6:15 $.schema.a: expected one of string, bool, int32, int64, double, decimal(p,s), date, timestamp (optionally followed by 'not null'); got "int65"
            {path}:7:35 $.sinks[0].path: unknown parameter ${"{"}dat{"}"} (did you mean ${"{"}date{"}"}?)
            {path}:7:57 $.sinks[0].compression: expected one of snappy, gzip, zstd, none; got "lz5"
            {path}:8:15 $.errors.maxFailedRecords: expected a number >= 0; got -1

            """.ReplaceLineEndings(Environment.NewLine),
            result.Stderr);
    }

    [Fact]
    public async Task Validate_GoodSpec_PrintsOkAndExitsZero()
    {
        var result = await EtlCli.RunAsync("validate", Repo.Pipeline("customers-json.json"));

        Assert.Equal(0, result.ExitCode);
        Assert.Equal($"{Repo.Pipeline("customers-json.json")}: ok (customers){Environment.NewLine}", result.Stdout);
    }

    [Fact]
    public async Task Validate_InvalidJson_NamesLineAndColumn()
    {
        var path = Write("{\n  \"name\": \"x\",\n  \"source\": {\n}\n,,");

        var result = await EtlCli.RunAsync("validate", path);

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith($"{path}:5:", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("invalid JSON", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_UnknownParamOnCommandLine_IsAnError()
    {
        var result = await EtlCli.RunAsync("validate", Repo.Pipeline("orders-csv-to-parquet.json"), "--param", "dat=2026-11-28");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--param dat: the spec declares no parameter 'dat' (did you mean 'date'?)", result.Stderr, StringComparison.Ordinal);
    }
}
