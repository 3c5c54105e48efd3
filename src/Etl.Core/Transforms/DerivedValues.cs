// The values a derive kernel writes for one batch, and the column they become.
using Etl.Columns;
using Etl.Records;

namespace Etl.Transforms;

/// <summary>Values of one storage type (see <see cref="ColumnKernels.StorageOf"/>) for every row of a batch. The column
/// holds exactly what DeriveTransform.Apply would set on each record: typed where the kind's values are those values,
/// boxed otherwise.</summary>
internal abstract class DerivedValues
{
    public abstract void Run(Delegate kernel, Column?[] inputs, int start, int end);

    public abstract Column Build();

    public static DerivedValues For(Type storage, int rows) => storage switch
    {
        _ when storage == typeof(long) => new Typed<long>(ColumnKind.Int64, rows),
        _ when storage == typeof(decimal) => new Typed<decimal>(ColumnKind.Decimal, rows),
        _ when storage == typeof(bool) => new Typed<bool>(ColumnKind.Bool, rows),
        _ when storage == typeof(double) => new Typed<double>(ColumnKind.Double, rows),
        _ when storage == typeof(DateOnly) => new Typed<DateOnly>(ColumnKind.Date, rows),
        _ when storage == typeof(DateTime) => new Timestamps(rows),
        _ when storage == typeof(string) => new Strings(rows),
        _ => new Boxed(rows),
    };

    private class Typed<T>(ColumnKind kind, int rows) : DerivedValues
        where T : struct
    {
        protected T[] Values { get; } = new T[rows];

        protected bool[] Nulls { get; } = new bool[rows];

        public override void Run(Delegate kernel, Column?[] inputs, int start, int end) =>
            ((DeriveKernel<T>)kernel)(inputs, start, end, Values, Nulls);

        // A typed column says "no nulls" with a null array.
        public override Column Build() =>
            new TypedColumn<T>(kind, Values, Nulls.AsSpan().Contains(true) ? Nulls : null, Values.Length);
    }

    // Timestamp columns hold UTC; a derived local or unspecified time stays as the record would hold it, boxed.
    private sealed class Timestamps(int rows) : Typed<DateTime>(ColumnKind.Timestamp, rows)
    {
        public override Column Build()
        {
            for (var r = 0; r < Values.Length; r++)
            {
                if (!Nulls[r] && Values[r].Kind != DateTimeKind.Utc)
                {
                    return new ValueColumn([.. Values.Select((v, i) => Nulls[i] ? null : (object?)v)], Values.Length);
                }
            }
            return base.Build();
        }
    }

    private sealed class Strings(int rows) : DerivedValues
    {
        private readonly string?[] _values = new string?[rows];

        public override void Run(Delegate kernel, Column?[] inputs, int start, int end) =>
            ((DeriveKernel<string?>)kernel)(inputs, start, end, _values, []);

        public override Column Build() => new StringColumn(_values, _values.Length);
    }

    private sealed class Boxed(int rows) : DerivedValues
    {
        private readonly object?[] _values = new object?[rows];

        public override void Run(Delegate kernel, Column?[] inputs, int start, int end) =>
            ((DeriveKernel<object?>)kernel)(inputs, start, end, _values, []);

        // DeriveTransform stores an int as a long.
        public override Column Build()
        {
            for (var r = 0; r < _values.Length; r++)
            {
                if (_values[r] is int i)
                {
                    _values[r] = (long)i;
                }
            }
            return new ValueColumn(_values, _values.Length);
        }
    }
}
