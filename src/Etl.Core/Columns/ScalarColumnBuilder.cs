// Builds a column from values read one by one: typed while every value has one kind (or is a number: longs and doubles
// side by side), boxed from the first that differs.
using Etl.Records;

namespace Etl.Columns;

/// <summary>The column <see cref="ColumnOfValues.From"/> would make of the same values, without boxing them while they
/// share one kind (long, double, bool or string) or are all numbers (a <see cref="NumberColumn"/>). Starts with room for <c>capacity</c> rows and grows past it.</summary>
public sealed class ScalarColumnBuilder(int capacity)
{
    private int _capacity = Math.Max(capacity, 1);
    private ColumnKind? _kind;
    private long[]? _longs;
    private double[]? _doubles;
    private bool[]? _bools;
    private string?[]? _strings;
    private bool[]? _nulls;
    private bool[]? _isDouble;
    private object?[]? _boxed;
    private int _count;

    public void AddNull()
    {
        MakeRoom();
        if (_boxed is not null)
        {
            _boxed[_count] = null;
        }
        else
        {
            (_nulls ??= new bool[_capacity])[_count] = true;
        }
        _count++;
    }

    public void Add(long value)
    {
        MakeRoom();
        if (Is(ColumnKind.Int64))
        {
            (_longs ??= new long[_capacity])[_count++] = value;
        }
        else if (Numbers())
        {
            (_longs ??= new long[_capacity])[_count++] = value;
        }
        else
        {
            AddValue(value);
        }
    }

    public void Add(double value)
    {
        MakeRoom();
        if (Is(ColumnKind.Double))
        {
            (_doubles ??= new double[_capacity])[_count++] = value;
        }
        else if (Numbers())
        {
            (_doubles ??= new double[_capacity])[_count] = value;
            _isDouble![_count++] = true;
        }
        else
        {
            AddValue(value);
        }
    }

    /// <summary>Whether the column holds longs and doubles side by side, switching to that from longs or doubles alone.</summary>
    private bool Numbers()
    {
        if (_boxed is not null)
        {
            return false;
        }
        if (_isDouble is not null)
        {
            return true;
        }
        if (_kind is not (ColumnKind.Int64 or ColumnKind.Double))
        {
            return false;
        }
        _isDouble = new bool[_capacity];
        if (_kind == ColumnKind.Double)
        {
            // Every row so far is a double (null rows keep false: IsDouble is read only where the row has a value).
            for (var r = 0; r < _count; r++)
            {
                _isDouble[r] = _nulls is not { } n || !n[r];
            }
        }
        return true;
    }

    public void Add(bool value)
    {
        MakeRoom();
        if (Is(ColumnKind.Bool))
        {
            (_bools ??= new bool[_capacity])[_count++] = value;
        }
        else
        {
            AddValue(value);
        }
    }

    public void Add(string value)
    {
        MakeRoom();
        if (Is(ColumnKind.String))
        {
            (_strings ??= new string?[_capacity])[_count++] = value;
        }
        else
        {
            AddValue(value);
        }
    }

    /// <summary>Appends any value (a nested record or list too): the column is boxed from here on.</summary>
    public void AddValue(object? value)
    {
        MakeRoom();
        if (_boxed is null)
        {
            var typed = _kind is null && _isDouble is null ? null : Typed();
            _boxed = new object?[_capacity];
            for (var r = 0; r < _count && typed is not null; r++)
            {
                _boxed[r] = typed.GetValue(r);
            }
        }
        _boxed[_count++] = value;
    }

    /// <summary>Appends the value added last again (a null when nothing was added).</summary>
    public void Repeat()
    {
        if (_count == 0)
        {
            AddNull();
            return;
        }
        MakeRoom();
        var last = _count - 1;
        if (_boxed is not null)
        {
            _boxed[_count] = _boxed[last];
        }
        else
        {
            if (_nulls is { } nulls && nulls[last])
            {
                nulls[_count] = true;
            }
            else if (_isDouble is { } isDouble)
            {
                (_longs ??= new long[_capacity])[_count] = _longs[last];
                (_doubles ??= new double[_capacity])[_count] = _doubles[last];
                isDouble[_count] = isDouble[last];
            }
            else if (_longs is { } l)
            {
                l[_count] = l[last];
            }
            else if (_doubles is { } d)
            {
                d[_count] = d[last];
            }
            else if (_bools is { } b)
            {
                b[_count] = b[last];
            }
            else if (_strings is { } s)
            {
                s[_count] = s[last];
            }
        }
        _count++;
    }

    /// <summary>Doubles the arrays when they are full (a caller that knows the row count never gets here).</summary>
    private void MakeRoom()
    {
        if (_count < _capacity)
        {
            return;
        }
        _capacity *= 2;
        Resize(ref _longs);
        Resize(ref _doubles);
        Resize(ref _bools);
        Resize(ref _strings);
        Resize(ref _nulls);
        Resize(ref _isDouble);
        Resize(ref _boxed);
    }

    private void Resize<T>(ref T[]? array)
    {
        if (array is not null)
        {
            Array.Resize(ref array, _capacity);
        }
    }

    /// <summary>Whether the column is typed as <paramref name="kind"/> (the first value sets the kind).</summary>
    private bool Is(ColumnKind kind)
    {
        if (_boxed is not null || _isDouble is not null)
        {
            return false;
        }
        _kind ??= kind;
        return _kind == kind;
    }

    private Column Typed() => _isDouble is { } isDouble
        ? new NumberColumn(_longs ?? new long[_capacity], _doubles ?? new double[_capacity], isDouble, _nulls, _count)
        : OfOneKind();

    private Column OfOneKind() => _kind switch
    {
        ColumnKind.Int64 => new TypedColumn<long>(ColumnKind.Int64, _longs ?? new long[_capacity], _nulls, _count),
        ColumnKind.Double => new TypedColumn<double>(ColumnKind.Double, _doubles ?? new double[_capacity], _nulls, _count),
        ColumnKind.Bool => new TypedColumn<bool>(ColumnKind.Bool, _bools ?? new bool[_capacity], _nulls, _count),
        _ => new StringColumn(_strings ?? new string?[_capacity], _count),
    };

    public Column Build() =>
        _boxed is not null ? ColumnOfValues.From(_boxed, _count)
        : _kind is not null || _isDouble is not null ? Typed()
        : new ValueColumn(new object?[_count], _count);
}
