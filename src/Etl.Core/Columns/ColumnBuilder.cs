// Builds one column row by row: typed appends on the hot path, boxed appends for rows that come from records.
using Etl.Records;

namespace Etl.Columns;

public abstract class ColumnBuilder
{
    public abstract int Count { get; }

    /// <summary>Appends a boxed value that is already of the builder's kind (or null).</summary>
    public abstract void AddValue(object? value);

    public abstract void AddNull();

    /// <summary>The column of the rows added so far; the builder must not be used afterwards.</summary>
    public abstract Column Build();

    public static ColumnBuilder For(ColumnKind? kind, int capacity) => kind switch
    {
        ColumnKind.String => new StringColumnBuilder(capacity),
        ColumnKind.Bool => new TypedColumnBuilder<bool>(ColumnKind.Bool, capacity),
        ColumnKind.Int32 => new TypedColumnBuilder<int>(ColumnKind.Int32, capacity),
        ColumnKind.Int64 => new TypedColumnBuilder<long>(ColumnKind.Int64, capacity),
        ColumnKind.Double => new TypedColumnBuilder<double>(ColumnKind.Double, capacity),
        ColumnKind.Decimal => new TypedColumnBuilder<decimal>(ColumnKind.Decimal, capacity),
        ColumnKind.Date => new TypedColumnBuilder<DateOnly>(ColumnKind.Date, capacity),
        ColumnKind.Timestamp => new TypedColumnBuilder<DateTime>(ColumnKind.Timestamp, capacity),
        null => new ValueColumnBuilder(capacity),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "no column of this kind"),
    };
}

public sealed class TypedColumnBuilder<T>(ColumnKind kind, int capacity) : ColumnBuilder
    where T : struct
{
    private T[] _values = new T[Math.Max(capacity, 4)];
    private bool[]? _nulls;
    private int _count;

    public override int Count => _count;

    public void Add(T value)
    {
        if (_count == _values.Length)
        {
            Grow();
        }
        _values[_count++] = value;
    }

    public override void AddNull()
    {
        if (_count == _values.Length)
        {
            Grow();
        }
        (_nulls ??= new bool[_values.Length])[_count] = true;
        _values[_count++] = default;
    }

    public override void AddValue(object? value)
    {
        if (value is null)
        {
            AddNull();
        }
        else
        {
            Add((T)value);
        }
    }

    private void Grow()
    {
        Array.Resize(ref _values, _values.Length * 2);
        if (_nulls is not null)
        {
            Array.Resize(ref _nulls, _values.Length);
        }
    }

    public override Column Build() => new TypedColumn<T>(kind, _values, _nulls, _count);
}

public sealed class StringColumnBuilder(int capacity) : ColumnBuilder
{
    private string?[] _values = new string?[Math.Max(capacity, 4)];
    private int _count;

    public override int Count => _count;

    public void Add(string? value)
    {
        if (_count == _values.Length)
        {
            Array.Resize(ref _values, _values.Length * 2);
        }
        _values[_count++] = value;
    }

    public override void AddNull() => Add(null);

    public override void AddValue(object? value) => Add((string?)value);

    public override Column Build() => new StringColumn(_values, _count);
}

public sealed class ValueColumnBuilder(int capacity) : ColumnBuilder
{
    private object?[] _values = new object?[Math.Max(capacity, 4)];
    private int _count;

    public override int Count => _count;

    public override void AddValue(object? value)
    {
        if (_count == _values.Length)
        {
            Array.Resize(ref _values, _values.Length * 2);
        }
        _values[_count++] = value;
    }

    public override void AddNull() => AddValue(null);

    public override Column Build() => new ValueColumn(_values, _count);
}
