// Conformer: records become rows of one schema, declared or inferred from the first batch and then fixed.
using Etl.Core.Tests.TestSupport;
using Etl.Records;
using Etl.Runtime;
using Microsoft.Extensions.Logging;
using Record = Etl.Records.Record;

namespace Etl.Core.Tests.Runtime;

public sealed class ConformerTests : IDisposable
{
    private readonly TestFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private RunContext Run(string? schema = null, int? batchSize = null, ILogger? logger = null) =>
        TestRun.Context(_folder, schema: schema, batchSize: batchSize, logger: logger);

    private static Conformer For(RunContext run) => new(run.Spec.Spec, run);

    private static Conformer For(RunContext run, Etl.Spec.SchemaChangePolicy policy) => new(run.Spec.Spec with { SchemaChange = policy }, run);

    private static Record Row(string[] names, params object?[] values) => new(names, values);

    [Fact]
    public void Flush_DeclaredSchema_ConvertsValuesToTheDeclaredTypes()
    {
        var conformer = For(Run(schema: """{ "id": "int64", "amount": "decimal(10,2)", "day": "date" }"""));
        conformer.Add(Row(["id", "amount", "day"], "17", "12.5", "2026-11-28"));

        var row = Assert.Single(conformer.Flush());

        Assert.Equal([17L, 12.50m, new DateOnly(2026, 11, 28)], row);
    }

    [Fact]
    public void Flush_InferredDecimalWithMoreThan18DecimalPlaces_IsRoundedToTheColumnsScale()
    {
        var conformer = For(Run());
        conformer.Add(Row(["ratio"], 100m / 3));

        var row = Assert.Single(conformer.Flush());

        Assert.Equal("decimal(38,18)", conformer.Schema!.Columns[0].Type.ToString());
        Assert.Equal([33.333333333333333333m], row);
    }

    [Fact]
    public async Task Flush_DeclaredDecimalWithMoreDecimalPlaces_IsStillADeadLetter()
    {
        var run = Run(schema: """{ "ratio": "decimal(38,18)" }""");
        var conformer = For(run);
        conformer.Add(Row(["ratio"], 100m / 3));

        Assert.Empty(conformer.Flush());
        Assert.Contains("more than 18 digits after the decimal point", (await TestRun.DeadLettersAsync(run)).Single().GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Add_WhileTheFirstBatchIsSampled_ReturnsNoRow()
    {
        var conformer = For(Run(batchSize: 2));

        var rows = conformer.Add(Row(["id"], 1L));

        Assert.Empty(rows);
        Assert.Null(conformer.Schema);
    }

    [Fact]
    public void Add_RecordThatFillsTheSample_ReturnsTheWholeSample()
    {
        var conformer = For(Run(batchSize: 2));
        conformer.Add(Row(["id"], 1L));

        var rows = conformer.Add(Row(["id"], 2L));

        Assert.Equal([[1L], [2L]], rows);
    }

    [Fact]
    public void Add_AfterTheSchemaIsFixed_ReturnsEachRowAtOnce()
    {
        var conformer = For(Run(batchSize: 1));
        conformer.Add(Row(["id"], 1L));

        var rows = conformer.Add(Row(["id"], 2L));

        Assert.Equal([[2L]], rows);
    }

    [Fact]
    public void Flush_NoDeclaredSchema_InfersTypesFromTheSample()
    {
        var conformer = For(Run());
        conformer.Add(Row(["id", "name", "ratio"], "1", "ada", "0.5"));
        conformer.Add(Row(["id", "name", "ratio"], "2", "bob", "1"));

        conformer.Flush();

        Assert.Equal(["id int64", "name string", "ratio double"], conformer.Schema!.Columns.Select(c => $"{c.Name} {c.Type}"));
    }

    [Fact]
    public void Flush_FieldsOfLaterSampledRecords_BecomeColumnsInFirstSeenOrder()
    {
        var conformer = For(Run());
        conformer.Add(Row(["id"], 1L));
        conformer.Add(Row(["name", "id"], "bob", 2L));

        var rows = conformer.Flush();

        Assert.Equal(["id", "name"], conformer.Schema!.Columns.Select(c => c.Name));
        Assert.Equal([[1L, null], [2L, "bob"]], rows);
    }

    [Fact]
    public void Flush_DeclaredAndInferredColumns_KeepTheRecordsOrder()
    {
        var conformer = For(Run(schema: """{ "amount": "decimal(10,2)" }"""));
        conformer.Add(Row(["id", "amount"], 1L, 2.5m));

        conformer.Flush();

        Assert.Equal(["id", "amount"], conformer.Schema!.Columns.Select(c => c.Name));
    }

    [Fact]
    public void Flush_DeclaredColumnNoRecordHolds_ComesAfterTheRecordsColumns()
    {
        var conformer = For(Run(schema: """{ "coupon": "string", "amount": "decimal(10,2)" }"""));
        conformer.Add(Row(["id", "amount"], 1L, 2.5m));

        conformer.Flush();

        Assert.Equal(["id", "amount", "coupon"], conformer.Schema!.Columns.Select(c => c.Name));
    }

    [Fact]
    public void Flush_NestedValue_IsWrittenAsJsonText()
    {
        var conformer = For(Run());
        conformer.Add(Row(["id", "customer"], 1L, Row(["name"], "ada")));

        var row = Assert.Single(conformer.Flush());

        Assert.Equal([1L, """{"name":"ada"}"""], row);
        Assert.Equal(ColumnKind.String, conformer.Schema!.Columns[1].Type.Kind);
    }

    [Fact]
    public void Flush_NothingAddedAndNothingDeclared_FixesNoSchema()
    {
        var conformer = For(Run());

        var rows = conformer.Flush();

        Assert.Empty(rows);
        Assert.Null(conformer.Schema);
    }

    [Fact]
    public void Flush_NothingAddedWithADeclaredSchema_FixesTheDeclaredSchema()
    {
        var conformer = For(Run(schema: """{ "id": "int64 not null", "name": "string" }"""));

        conformer.Flush();

        Assert.Equal(["id int64 not null", "name string"], conformer.Schema!.Columns.Select(c => $"{c.Name} {c.Type}"));
    }

    [Fact]
    public void Flush_ValueNotOfTheColumnType_DropsTheRecord()
    {
        var conformer = For(Run(schema: """{ "id": "int64" }"""));
        conformer.Add(Row(["id"], "abc"));
        conformer.Add(Row(["id"], "2"));

        var rows = conformer.Flush();

        Assert.Equal([[2L]], rows);
    }

    [Fact]
    public async Task Flush_ValueNotOfTheColumnType_WritesADeadLetterNamingColumnValueAndOrigin()
    {
        var run = Run(schema: """{ "id": "int64" }""");
        var conformer = For(run);
        var bad = Row(["id"], "abc");
        bad.SetOrigin("orders.csv", 7);
        conformer.Add(bad);

        conformer.Flush();

        var letter = Assert.Single(await TestRun.DeadLettersAsync(run));
        Assert.Equal(
            ("schema", "column 'id': \"abc\" is not a int64", "orders.csv:7", "id", "abc"),
            (letter.GetProperty("stage").GetString(), letter.GetProperty("reason").GetString(), letter.GetProperty("origin").GetString(),
             letter.GetProperty("column").GetString(), letter.GetProperty("value").GetString()));
    }

    [Fact]
    public void Flush_ValueNotOfTheColumnType_CountsAFailedRecord()
    {
        var run = Run(schema: """{ "id": "int64" }""");
        var conformer = For(run);
        conformer.Add(Row(["id"], "abc"));

        conformer.Flush();

        Assert.Equal(1L, run.Counters.Failed);
    }

    [Fact]
    public void Flush_NullInANotNullColumn_DropsTheRecord()
    {
        var conformer = For(Run(schema: """{ "id": "int64 not null" }"""));
        conformer.Add(Row(["id"], [null]));

        var rows = conformer.Flush();

        Assert.Empty(rows);
    }

    [Fact]
    public void Add_FieldFirstSeenAfterTheSchemaIsFixed_UnderDiscardColumns_IsNotWritten()
    {
        var conformer = For(Run(batchSize: 1), Etl.Spec.SchemaChangePolicy.DiscardColumns);
        conformer.Add(Row(["id"], 1L));

        var rows = conformer.Add(Row(["id", "late"], 2L, "x"));

        Assert.Equal([[2L]], rows);
    }

    [Fact]
    public void Add_FieldFirstSeenAfterTheSchemaIsFixed_UnderDiscardColumns_IsWarnedOnceNamingIt()
    {
        var logger = new CollectingLogger();
        var conformer = For(Run(batchSize: 1, logger: logger), Etl.Spec.SchemaChangePolicy.DiscardColumns);
        conformer.Add(Row(["id"], 1L));
        var late = Row(["id", "late"], 2L, "x");
        late.SetOrigin("orders.jsonl", 2);

        conformer.Add(late);
        conformer.Add(Row(["id", "late"], 3L, "y"));

        Assert.Equal(
            ["test: column late first appears after the schema was fixed (orders.jsonl:2); it is not written (schemaChange is discardColumns)."],
            logger.Warnings);
    }

    [Fact]
    public void Add_FieldFirstSeenAfterTheSchemaIsFixed_UnderEvolve_IsAddedAsAColumn()
    {
        var conformer = For(Run(batchSize: 1));
        conformer.Add(Row(["id"], 1L));

        var rows = conformer.Add(Row(["id", "late"], 2L, "x"));

        Assert.Equal([[2L, "x"]], rows);
        Assert.Equal(["id", "late"], conformer.Schema!.Columns.Select(c => c.Name));
    }

    /// <summary>Keeps the text of every warning.</summary>
    private sealed class CollectingLogger : ILogger
    {
        public List<string> Warnings { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel == LogLevel.Warning)
            {
                Warnings.Add(formatter(state, exception));
            }
        }
    }
}
