// One named field of one JSON object as read, unboxed where it is a number or a bool, kept until its column is built.
namespace Etl.Columns;

internal enum ObjectFieldKind : byte
{
    Null,
    Long,
    Double,
    True,
    False,
    Value,
    // Not read (the value would not convert where it was met): its column is read from the text instead.
    Unread,
}

/// <summary>The field's value: a long or a double's bits in <see cref="Bits"/>, a string or anything else (a nested
/// record or list, a decimal) in <see cref="Value"/>; the default is null.</summary>
internal readonly record struct ObjectFieldValue(ObjectFieldKind Kind, long Bits = 0, object? Value = null)
{
    public static ObjectFieldValue Of(double value) => new(ObjectFieldKind.Double, BitConverter.DoubleToInt64Bits(value));

    /// <summary>Appends the value as <see cref="JsonObjectFields"/> always has, so that a column built from these
    /// values is the one built from the text.</summary>
    public void AddTo(ScalarColumnBuilder column)
    {
        switch (Kind)
        {
            case ObjectFieldKind.Long: column.Add(Bits); break;
            case ObjectFieldKind.Double: column.Add(BitConverter.Int64BitsToDouble(Bits)); break;
            case ObjectFieldKind.True: column.Add(true); break;
            case ObjectFieldKind.False: column.Add(false); break;
            case ObjectFieldKind.Value when Value is string s: column.Add(s); break;
            case ObjectFieldKind.Value: column.AddValue(Value); break;
            default: column.AddNull(); break;
        }
    }
}
