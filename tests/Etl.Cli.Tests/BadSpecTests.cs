// Bad specs are refused before any work with exit 2 and "file:line:col $.json.path: message"; the texts are pinned.
using Etl.Cli.Tests.TestSupport;

namespace Etl.Cli.Tests;

public sealed class BadSpecTests : IDisposable
{
    private readonly TestFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private const string Types = "string, bool, int32, int64, double, decimal(p,s), date, timestamp";

    // Paths sit alone on their lines, so the positions of the problems do not depend on the temp folder's name.
    private string WriteSpec(string source = """{ "type": "csv", "path": "in.csv" }""", string sink = """ "compression": "snappy" """,
        string extra = "", string name = """ "name": "bad",""") => _folder.Write("bad.json", $$"""
        {
          {{name}}
          "parameters": { "date": "2026-01-01" },
          "source": {{source}},
          {{extra}}
          "sinks": [ {
            "type": "parquet",
            "path": {{_folder.Json("lake/bad")}},
            {{sink}}
          } ]
        }
        """);

    /// <summary>"file:line:col" of the first <paramref name="needle"/> in the spec, found independently of the engine's locator.</summary>
    private static string At(string spec, string needle)
    {
        var lines = File.ReadAllLines(spec);
        for (var i = 0; i < lines.Length; i++)
        {
            var column = lines[i].IndexOf(needle, StringComparison.Ordinal);
            if (column >= 0)
            {
                return $"{spec}:{i + 1}:{column + 1}";
            }
        }
        throw new InvalidOperationException($"'{needle}' is not in {spec}");
    }

    private async Task<CliResult> RunRefusedAsync(params string[] args)
    {
        var result = await EtlCli.RunAsync(args);
        Assert.Equal(2, result.ExitCode);
        Assert.Equal("", result.Stdout);
        Assert.False(Directory.Exists(_folder.PathOf("lake")), "a refused spec must not create its sink folder");
        return result;
    }

    [Fact]
    public async Task Run_UnknownField_NamesItWithDidYouMean()
    {
        var spec = WriteSpec(source: """{ "type": "csv", "path": "in.csv", "delimter": ";" }""");

        var result = await RunRefusedAsync("run", spec);

        Assert.Equal([$"{At(spec, "\"delimter\"")} $.source.delimter: unknown field \"delimter\" (did you mean \"delimiter\"?)"], result.ErrorLines);
    }

    [Fact]
    public async Task Run_UnknownTopLevelField_NamesItWithDidYouMean()
    {
        var spec = WriteSpec(extra: """ "tranforms": [],""");

        var result = await RunRefusedAsync("run", spec);

        Assert.Equal([$"{At(spec, "\"tranforms\"")} $.tranforms: unknown field \"tranforms\" (did you mean \"transforms\"?)"], result.ErrorLines);
    }

    [Fact]
    public async Task Run_WrongEnumValue_ListsTheAllowedValues()
    {
        var spec = WriteSpec(sink: """ "compression": "lz5" """);

        var result = await RunRefusedAsync("run", spec);

        Assert.Equal([$"{At(spec, "\"compression\"")} $.sinks[0].compression: expected one of snappy, gzip, zstd, none; got \"lz5\""], result.ErrorLines);
    }

    [Fact]
    public async Task Run_WrongValueType_SaysWhatWasExpected()
    {
        var spec = WriteSpec(extra: """ "batch": { "size": "big" },""");

        var result = await RunRefusedAsync("run", spec);

        Assert.Equal([$"{At(spec, "\"size\"")} $.batch.size: expected an integer; got \"big\""], result.ErrorLines);
    }

    [Fact]
    public async Task Run_MissingRequiredField_NamesIt()
    {
        var spec = WriteSpec(name: "");

        var result = await RunRefusedAsync("run", spec);

        Assert.Equal([$"{spec}:1:1 $: missing required field \"name\""], result.ErrorLines);
    }

    [Fact]
    public async Task Run_MissingRequiredFieldOfATransform_NamesItAndTheTransform()
    {
        var spec = WriteSpec(extra: """ "transforms": [ { "type": "filter" } ],""");

        var result = await RunRefusedAsync("run", spec);

        Assert.Equal([$"{At(spec, "{ \"type\": \"filter\" }")} $.transforms[0]: missing required field \"where\""], result.ErrorLines);
    }

    [Fact]
    public async Task Run_UnknownComponentType_ListsTheKnownTypes()
    {
        var spec = WriteSpec(source: """{ "type": "xml", "path": "in.xml" }""");

        var result = await RunRefusedAsync("run", spec);

        Assert.Equal([$"{At(spec, "\"type\": \"xml\"")} $.source.type: expected one of csv, jsonl, json, parquet, http; got \"xml\""], result.ErrorLines);
    }

    [Fact]
    public async Task Run_UnknownTemplateParameter_SuggestsTheDeclaredOne()
    {
        var spec = WriteSpec(source: """{ "type": "csv", "path": "in/${dat}.csv" }""");

        var result = await RunRefusedAsync("run", spec);

        Assert.Equal([$"{At(spec, "\"path\": \"")} $.source.path: unknown parameter ${{dat}} (did you mean ${{date}}?)"], result.ErrorLines);
    }

    [Fact]
    public async Task Run_UnsetEnvironmentVariable_IsAnError()
    {
        var spec = WriteSpec(source: """{ "type": "csv", "path": "${env:ETL_TEST_SURELY_UNSET}" }""");

        var result = await RunRefusedAsync("run", spec);

        Assert.Equal([$"{At(spec, "\"path\": \"")} $.source.path: environment variable ETL_TEST_SURELY_UNSET is not set (used as ${{env:ETL_TEST_SURELY_UNSET}})"], result.ErrorLines);
    }

    [Fact]
    public async Task Run_UnknownParamOption_IsRefused()
    {
        var spec = WriteSpec();

        var result = await RunRefusedAsync("run", spec, "--param", "dat=2026-11-28");

        Assert.Equal(["--param dat: no spec declares this parameter (did you mean 'date'?)"], result.ErrorLines);
    }

    [Fact]
    public async Task Validate_UnknownParamOption_SuggestsTheDeclaredOne()
    {
        var spec = WriteSpec();

        var result = await RunRefusedAsync("validate", spec, "--param", "dat=2026-11-28");

        Assert.Equal([$"{At(spec, "\"parameters\"")} $.parameters: --param dat: the spec declares no parameter 'dat' (did you mean 'date'?)"], result.ErrorLines);
    }

    [Fact]
    public async Task Run_MalformedParamOption_IsAUsageError()
    {
        var spec = WriteSpec();

        var result = await RunRefusedAsync("run", spec, "--param", "date");

        Assert.Equal(["--param date: expected name=value"], result.ErrorLines);
    }

    [Fact]
    public async Task Run_BadColumnTypeInSchema_ListsTheTypes()
    {
        var spec = WriteSpec(extra: """ "schema": { "id": "int64", "amount": "decimal(18)" },""");

        var result = await RunRefusedAsync("run", spec);

        Assert.Equal([$"{At(spec, "\"amount\"")} $.schema.amount: expected one of {Types} (optionally followed by 'not null'); got \"decimal(18)\""], result.ErrorLines);
    }

    [Fact]
    public async Task Run_InvalidJson_PointsAtTheSyntaxError()
    {
        var spec = _folder.Write("bad.json", "{\n  \"name\": \"bad\",\n  \"source\": { \"type\": \"csv\" \"path\": \"in.csv\" }\n}\n");

        var result = await RunRefusedAsync("run", spec);

        var line = Assert.Single(result.ErrorLines);
        Assert.StartsWith($"{spec}:3:", line, StringComparison.Ordinal);
        Assert.Contains(": invalid JSON: ", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_SeveralProblems_AreAllReportedAtOnceInTextOrder()
    {
        var spec = WriteSpec(
            source: """{ "type": "csv", "path": "in/${dat}.csv", "delimter": ";" }""",
            extra: """ "schema": { "amount": "decimal(18)" }, "batch": { "size": "big" },""",
            sink: """ "compression": "lz5" """);

        var result = await RunRefusedAsync("run", spec);

        string[] expected =
        [
            $"{At(spec, "\"path\": \"")} $.source.path: unknown parameter ${{dat}} (did you mean ${{date}}?)",
            $"{At(spec, "\"delimter\"")} $.source.delimter: unknown field \"delimter\" (did you mean \"delimiter\"?)",
            $"{At(spec, "\"amount\"")} $.schema.amount: expected one of {Types} (optionally followed by 'not null'); got \"decimal(18)\"",
            $"{At(spec, "\"size\"")} $.batch.size: expected an integer; got \"big\"",
            $"{At(spec, "\"compression\"")} $.sinks[0].compression: expected one of snappy, gzip, zstd, none; got \"lz5\"",
        ];
        Assert.Equal(expected, result.ErrorLines);
    }

    [Fact]
    public async Task Validate_GoodSpec_SaysOkWithExitZero()
    {
        var spec = WriteSpec();

        var result = await EtlCli.RunAsync("validate", spec);

        Assert.Equal((0, $"{spec}: ok (bad)\n", ""), (result.ExitCode, result.Stdout.Replace("\r\n", "\n", StringComparison.Ordinal), result.Stderr));
    }

    [Fact]
    public async Task Run_SecondSpecInvalid_RunsNeitherSpec()
    {
        var good = WriteSpec();
        var bad = _folder.Write("bad2.json", """{ "name": "bad2", "source": { "type": "csv", "path": "x.csv" }, "sinks": [] }""");

        var result = await RunRefusedAsync("run", good, bad);

        Assert.Equal([$"{At(bad, "\"sinks\"")} $.sinks: expected at least 1 item(s)"], result.ErrorLines);
    }
}
