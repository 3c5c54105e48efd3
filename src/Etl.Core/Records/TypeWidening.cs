// Which column types may widen to hold a new value without losing any value already written.
namespace Etl.Records;

public static class TypeWidening
{
    /// <summary>Largest decimal scale a widened decimal column takes, as inference does.</summary>
    public const int MaxDecimalScale = 18;

    /// <summary>The narrowest type wider than <paramref name="current"/> that holds <paramref name="value"/> and every
    /// value <paramref name="current"/> holds; null when there is none (a string only with <paramref name="toString"/>).</summary>
    public static ColumnType? Widen(ColumnType current, object value, bool toString)
    {
        var kind = TypeInference.Infer([value]);
        var wider = (current.Kind, kind.Kind) switch
        {
            (ColumnKind.Int32, ColumnKind.Int64) => Of(ColumnKind.Int64),
            (ColumnKind.Int32 or ColumnKind.Int64, ColumnKind.Double) => Of(ColumnKind.Double),
            (ColumnKind.Int32 or ColumnKind.Int64, ColumnKind.Decimal) => kind,
            // A decimal(38,s) holds every int64; more digits after the point widen the scale, not the type.
            (ColumnKind.Decimal, ColumnKind.Int32 or ColumnKind.Int64 or ColumnKind.Decimal) => WiderDecimal(current, kind),
            (ColumnKind.Date, ColumnKind.Timestamp) => Of(ColumnKind.Timestamp),
            _ => null,
        };
        if (wider is null && toString && current.Kind != ColumnKind.String)
        {
            wider = ColumnType.String;
        }
        return wider is null || wider == current ? null : wider with { Nullable = current.Nullable };
    }

    private static ColumnType Of(ColumnKind kind) => new(kind);

    private static ColumnType? WiderDecimal(ColumnType current, ColumnType value)
    {
        var scale = Math.Min(Math.Max(current.Scale, value.Scale), MaxDecimalScale);
        // A .NET decimal has at most 29 digits before the point: that many must still fit after the scale grows.
        var integerDigits = Math.Min(current.Precision - current.Scale, 29);
        return integerDigits + scale > 38 ? null : new ColumnType(ColumnKind.Decimal, true, 38, scale);
    }
}
