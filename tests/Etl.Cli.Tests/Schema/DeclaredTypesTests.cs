// End to end: inferTypes false keeps text as text, and declared columns that the transforms remove are not written.
using Etl.Cli.Tests.TestSupport;

namespace Etl.Cli.Tests.Schema;

public sealed class DeclaredTypesTests : IDisposable
{
    private readonly TestFolder _folder = new();

    public DeclaredTypesTests() => _folder.Write("in/in.csv", "id,zip,amount\n1,75001,10.50\n2,13001,20.25\n");

    public void Dispose() => _folder.Dispose();

    private string Spec(string source = "", string extra = "") => _folder.Write("spec.json", $$"""
        {
          "name": "declared",
          "source": { "type": "csv", "path": {{_folder.Json("in/in.csv")}} {{source}} },
          {{extra}}
          "sinks": [ { "type": "parquet", "path": {{_folder.Json("lake/out")}} } ]
        }
        """);

    private string Lake => DuckDb.Parquet(_folder.PathOf("lake/out"));

    private const string FilterThenSelect = """
        "schema": { "amount": "decimal(18,2)" },
        "transforms": [ { "type": "filter", "where": "amount > 15" }, { "type": "select", "columns": { "id": "id" } } ],
        """;

    [Fact]
    public async Task CsvWithInferTypesFalse_UndeclaredColumns_LandAsStrings()
    {
        await EtlCli.RunOkAsync("run", Spec(source: """, "inferTypes": false"""));

        Assert.Equal([("id", "VARCHAR"), ("zip", "VARCHAR"), ("amount", "VARCHAR")], DuckDb.Describe($"SELECT * FROM {Lake}"));
    }

    [Fact]
    public async Task CsvWithInferTypesFalse_DeclaredColumn_KeepsItsType()
    {
        await EtlCli.RunOkAsync("run", Spec(source: """, "inferTypes": false""", extra: """ "schema": { "id": "int64" }, """));

        Assert.Equal([("id", "BIGINT"), ("zip", "VARCHAR"), ("amount", "VARCHAR")], DuckDb.Describe($"SELECT * FROM {Lake}"));
    }

    [Fact]
    public async Task DeclaredColumnThatSelectRemoves_IsNotWrittenButStillTypesTheFilter()
    {
        await EtlCli.RunOkAsync("run", Spec(extra: FilterThenSelect));

        Assert.Equal([("id", "BIGINT")], DuckDb.Describe($"SELECT * FROM {Lake}"));
        Assert.Equal([["2"]], DuckDb.Rows($"SELECT id FROM {Lake}"));
    }

    [Fact]
    public async Task DeclaredColumnThatDropRemoves_IsNotWritten()
    {
        await EtlCli.RunOkAsync("run", Spec(extra: """
            "schema": { "zip": "string" },
            "transforms": [ { "type": "drop", "columns": ["zip"] } ],
            """));

        Assert.Equal([("id", "BIGINT"), ("amount", "DOUBLE")], DuckDb.Describe($"SELECT * FROM {Lake}"));
    }

    [Fact]
    public async Task Validate_DeclaredColumnThatSelectRemoves_NotesIt()
    {
        var spec = Spec(extra: FilterThenSelect);

        var result = await EtlCli.RunOkAsync("validate", spec);

        Assert.Contains($"{spec}: note: $.schema.amount is declared but the transforms remove column 'amount'; it types the source but is not written", result.Stdout, StringComparison.Ordinal);
    }
}
