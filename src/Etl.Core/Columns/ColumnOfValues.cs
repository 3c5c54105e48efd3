// Turns boxed values as the record path holds them (JSON fields, path reads) into the tightest column that keeps them.
using Etl.Records;

namespace Etl.Columns;

public static class ColumnOfValues
{
    /// <summary>A typed column when every non-null value is a long, a double, a bool or a string; otherwise a
    /// <see cref="ValueColumn"/> over <paramref name="values"/> itself (not copied, so the caller must not change it).
    /// Either way <see cref="Column.GetValue"/> gives back each value as it was.</summary>
    public static Column From(object?[] values, int count) => KindOf(values, count) switch
    {
        ColumnKind.Int64 => Typed<long>(ColumnKind.Int64, values, count),
        ColumnKind.Double => Typed<double>(ColumnKind.Double, values, count),
        ColumnKind.Bool => Typed<bool>(ColumnKind.Bool, values, count),
        ColumnKind.String => Strings(values, count),
        _ => new ValueColumn(values, count),
    };

    /// <summary>The one kind every non-null value has, or null (mixed, nested, or no value at all).</summary>
    private static ColumnKind? KindOf(object?[] values, int count)
    {
        Type? type = null;
        for (var r = 0; r < count; r++)
        {
            var value = values[r];
            if (value is null)
            {
                continue;
            }
            var t = value.GetType();
            if (type is null)
            {
                type = t;
            }
            else if (type != t)
            {
                return null;
            }
        }
        return type == typeof(long) ? ColumnKind.Int64
            : type == typeof(double) ? ColumnKind.Double
            : type == typeof(bool) ? ColumnKind.Bool
            : type == typeof(string) ? ColumnKind.String
            : null;
    }

    private static TypedColumn<T> Typed<T>(ColumnKind kind, object?[] values, int count)
        where T : struct
    {
        var typed = new T[count];
        bool[]? nulls = null;
        for (var r = 0; r < count; r++)
        {
            if (values[r] is T value)
            {
                typed[r] = value;
            }
            else
            {
                (nulls ??= new bool[count])[r] = true;
            }
        }
        return new TypedColumn<T>(kind, typed, nulls, count);
    }

    private static StringColumn Strings(object?[] values, int count)
    {
        var strings = new string?[count];
        for (var r = 0; r < count; r++)
        {
            strings[r] = (string?)values[r];
        }
        return new StringColumn(strings, count);
    }
}
