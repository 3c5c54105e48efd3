// One change a run made to its output schema: a column added or a column's type widened, and where.
namespace Etl.Records;

public sealed record SchemaChange(string Column, ColumnType? From, ColumnType To, string? Origin)
{
    /// <summary>"+coupon (string) at in.jsonl:20001" or "amount int64 → double at in.jsonl:20001".</summary>
    public override string ToString()
    {
        var at = Origin is null ? "" : $" at {Origin}";
        return From is null ? $"+{Column} ({To}){at}" : $"{Column} {From} → {To}{at}";
    }
}
