// A record flowing through the mesh: ordered named values, possibly nested (Record / IReadOnlyList<object?>).
namespace Etl.Records;

/// <summary>
/// Ordered fields of one input record. Values are null, string, bool, long, double, decimal, DateTime (UTC),
/// DateOnly, a nested <see cref="Record"/> or an <see cref="IReadOnlyList{T}"/> of values.
/// Records from one file share their name array until a transform changes the shape (copy on write),
/// which keeps flat CSV rows cheap.
/// </summary>
public sealed class Record
{
    private string[] _names;
    private object?[] _values;
    private int _count;
    private bool _namesShared;

    public Record(string[] sharedNames, object?[] values)
    {
        _names = sharedNames;
        _values = values;
        _count = sharedNames.Length;
        _namesShared = true;
    }

    public Record(int capacity = 8)
    {
        _names = new string[Math.Max(capacity, 1)];
        _values = new object?[Math.Max(capacity, 1)];
    }

    private string? _origin;
    private string? _originFile;
    private string? _originSeparator;
    private string? _originSuffix;
    private long _originPosition;

    /// <summary>Where the record came from, for dead letters: "file.csv:12" or a URL. Composed only when read,
    /// so that millions of records that never fail cost no string each.</summary>
    public string? Origin
    {
        get => _origin ??= _originFile is null ? null : string.Concat(_originFile, _originSeparator, _originPosition.ToString(System.Globalization.CultureInfo.InvariantCulture), _originSuffix);
        set
        {
            _origin = value;
            _originFile = null;
        }
    }

    /// <summary>Sets the origin as "file{separator}{position}{suffix}" without building the string now.</summary>
    public void SetOrigin(string file, long position, string separator = ":", string? suffix = null)
    {
        _origin = null;
        _originFile = file;
        _originSeparator = separator;
        _originPosition = position;
        _originSuffix = suffix;
    }

    public void CopyOriginFrom(Record other)
    {
        _origin = other._origin;
        _originFile = other._originFile;
        _originSeparator = other._originSeparator;
        _originPosition = other._originPosition;
        _originSuffix = other._originSuffix;
        Request = other.Request;
        Parent = other.Parent;
        Cursor = other.Cursor;
    }

    /// <summary>The placeholder values of the HTTP request that produced the record, readable as <c>$request.name</c>.</summary>
    public IReadOnlyDictionary<string, string>? Request { get; set; }

    /// <summary>Fields of the HTTP parent record carried to this child record, readable as <c>$parent.field</c>.</summary>
    public IReadOnlyDictionary<string, object?>? Parent { get; set; }

    /// <summary>The value of the source's incremental cursor field, carried through transforms so the highest value
    /// written can be kept even when a transform drops or renames the field.</summary>
    public object? Cursor { get; set; }

    public int Count => _count;

    /// <summary>The name array when it is still shared by every record of the same shape (null once the record
    /// changed shape): lets consumers map names to positions once per shape instead of once per record.</summary>
    public string[]? SharedNames => _namesShared ? _names : null;

    public string NameAt(int index) => _names[index];

    public object? ValueAt(int index) => _values[index];

    public IEnumerable<string> Names => _names.Take(_count);

    public int IndexOf(string name)
    {
        var names = _names;
        for (var i = 0; i < _count; i++)
        {
            if (ReferenceEquals(names[i], name) || string.Equals(names[i], name, StringComparison.Ordinal))
            {
                return i;
            }
        }
        return -1;
    }

    public bool TryGet(string name, out object? value)
    {
        var i = IndexOf(name);
        value = i >= 0 ? _values[i] : null;
        return i >= 0;
    }

    public object? this[string name]
    {
        get => TryGet(name, out var v) ? v : null;
        set => Set(name, value);
    }

    public void Set(string name, object? value)
    {
        var i = IndexOf(name);
        if (i >= 0)
        {
            _values[i] = value;
            return;
        }
        OwnNames(_count + 1);
        _names[_count] = name;
        _values[_count] = value;
        _count++;
    }

    public bool Remove(string name)
    {
        var i = IndexOf(name);
        if (i < 0)
        {
            return false;
        }
        OwnNames(_count);
        Array.Copy(_names, i + 1, _names, i, _count - i - 1);
        Array.Copy(_values, i + 1, _values, i, _count - i - 1);
        _count--;
        _names[_count] = null!;
        _values[_count] = null;
        return true;
    }

    public void Rename(string from, string to)
    {
        var i = IndexOf(from);
        if (i < 0)
        {
            return;
        }
        var j = IndexOf(to);
        if (j >= 0 && j != i)
        {
            Remove(to);
            i = IndexOf(from);
        }
        OwnNames(_count);
        _names[i] = to;
    }

    /// <summary>A shallow copy whose own fields can change without touching this record.</summary>
    public Record Clone()
    {
        var copy = new Record(_count + 1);
        copy.CopyOriginFrom(this);
        Array.Copy(_names, copy._names, _count);
        Array.Copy(_values, copy._values, _count);
        copy._count = _count;
        return copy;
    }

    private void OwnNames(int needed)
    {
        if (_namesShared || needed > _names.Length)
        {
            var size = Math.Max(needed, _names.Length);
            if (needed > _names.Length)
            {
                size = Math.Max(needed, _names.Length * 2);
            }
            var names = new string[size];
            Array.Copy(_names, names, _count);
            _names = names;
            if (size > _values.Length)
            {
                var values = new object?[size];
                Array.Copy(_values, values, _count);
                _values = values;
            }
            _namesShared = false;
        }
    }
}
