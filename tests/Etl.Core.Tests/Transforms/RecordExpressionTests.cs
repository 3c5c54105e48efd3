// RecordExpression: filter and derive expressions typed by each record's values, nulls included.
using Etl.Records;
using Etl.Transforms;
using Record = Etl.Records.Record;

namespace Etl.Core.Tests.Transforms;

public sealed class RecordExpressionTests
{
    private static Record Row(params (string Name, object? Value)[] fields)
    {
        var r = new Record();
        foreach (var (name, value) in fields)
        {
            r.Set(name, value);
        }
        return r;
    }

    [Fact]
    public void Evaluate_LeadingNullThenValues_ComparesNumbersAndTreatsNullAsNoMatch()
    {
        var e = new RecordExpression("amount > 100");

        var results = new[] { Row(("amount", null)), Row(("amount", 100.01m)), Row(("amount", 50L)), Row(("amount", null)) }.Select(e.Evaluate);

        Assert.Equal([false, true, false, false], results);
    }

    [Fact]
    public void Evaluate_TwoFieldsNullFirst_FindsTypesThatFit()
    {
        var e = new RecordExpression("amount > 100 && status == \"paid\"");

        Assert.Equal(false, e.Evaluate(Row(("amount", null), ("status", null))));
        Assert.Equal(true, e.Evaluate(Row(("amount", 150.5m), ("status", "paid"))));
    }

    [Fact]
    public void Evaluate_Arithmetic_IsExactDecimal()
    {
        Assert.Equal(16259.00m, new RecordExpression("amount * 100").Evaluate(Row(("amount", 162.59))));
    }

    [Fact]
    public void Evaluate_ArithmeticOnNull_IsNull()
    {
        Assert.Null(new RecordExpression("amount * 100").Evaluate(Row(("amount", null))));
    }

    [Fact]
    public void Evaluate_StringMethodsAndConcatenation_Work()
    {
        var r = Row(("country", "DE"), ("status", "refunded"));

        Assert.Equal((true, "DE-refunded"),
            (new RecordExpression("status.StartsWith(\"ref\")").Evaluate(r), new RecordExpression("country + \"-\" + status").Evaluate(r)));
    }

    [Fact]
    public void Evaluate_ListField_HasItsMembers()
    {
        Assert.Equal(true, new RecordExpression("items.Count > 1").Evaluate(Row(("items", new List<object?> { 1L, 2L }))));
    }

    [Fact]
    public void Evaluate_DivisionByZero_IsARecordError()
    {
        var e = Assert.Throws<RecordException>(() => new RecordExpression("10 / qty").Evaluate(Row(("qty", 0L))));

        Assert.StartsWith("expression \"10 / qty\" failed: ", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_FieldOfAnotherType_IsARecordErrorNamingTheTypes()
    {
        var e = new RecordExpression("amount > 100");
        e.Evaluate(Row(("amount", 1L)));

        var error = Assert.Throws<RecordException>(() => e.Evaluate(Row(("amount", "lots"))));

        Assert.StartsWith("expression \"amount > 100\" does not apply to this record (amount: string): ", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("amount > 100 && status == \"paid\"")]
    [InlineData("items.Count > 1")]
    [InlineData("Math.Round(amount, 1)")]
    [InlineData("x ? 1 : 2")]
    public void CheckSyntax_ValidExpression_IsAccepted(string text)
    {
        Assert.Null(RecordExpression.CheckSyntax(text));
    }

    [Theory]
    [InlineData("amount >")]
    [InlineData("amount > 100 &&& y")]
    [InlineData("foo(")]
    public void CheckSyntax_BrokenExpression_IsRefusedNamingIt(string text)
    {
        Assert.StartsWith($"expression \"{text}\": ", RecordExpression.CheckSyntax(text), StringComparison.Ordinal);
    }
}
