// Evaluates a filter or derive expression over a column batch with compiled kernels, typed as the record path types it.
using Etl.Columns;
using Etl.Records;

namespace Etl.Transforms;

/// <summary>
/// The column form of a <see cref="RecordExpression"/>. Each field is typed as evaluating the rows one by one would type
/// it: a value by its column's kind (int as long, double as decimal), a null by the last type seen. So rows before a
/// column's first value, where the last type seen differs, form a segment of their own with its own kernel. Kernels are
/// compiled once per signature and shared by every thread. Null means the batch needs the record path: a column the
/// kernels do not read (boxed values of several types, a double that stays a double), a signature that does not compile,
/// a row that fails; then nothing has changed.
/// </summary>
internal sealed class ColumnExpression(RecordExpression expression)
{
    private enum Mode { Filter, Derive, DeriveBoxed }

    private sealed record Kernel(Type?[] Reads, Type?[] Types, Mode Mode, Delegate? Invoke, Type? Storage);

    private readonly Lock _gate = new();
    private Kernel[] _kernels = [];

    /// <summary>The rows where the filter holds (the first <paramref name="count"/> of the array), or null.</summary>
    public int[]? Filter(ColumnBatch batch, out int count)
    {
        count = 0;
        if (BatchFields.Of(expression, batch) is not { } fields)
        {
            return null;
        }
        var keep = new int[batch.RowCount];
        foreach (var segment in fields.Segments())
        {
            if (KernelFor(segment, Mode.Filter).Invoke is not FilterKernel kernel)
            {
                return null;
            }
            try
            {
                count = kernel(fields.Columns, segment.Start, segment.End, keep, count);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                return null;
            }
        }
        fields.NoteTypes(expression);
        return keep;
    }

    /// <summary>The expression's value for every row, as a column, or null.</summary>
    public Column? Derive(ColumnBatch batch)
    {
        if (batch.RowCount == 0 || BatchFields.Of(expression, batch) is not { } fields)
        {
            return null;
        }
        var segments = fields.Segments();
        var kernels = segments.Select(s => KernelFor(s, Mode.Derive)).ToArray();
        if (kernels.Any(k => k.Invoke is null))
        {
            return null;
        }
        if (kernels.Any(k => k.Storage != kernels[0].Storage))
        {
            // Segments typed differently give values of different types: store them boxed, as records would hold them.
            kernels = [.. segments.Select(s => KernelFor(s, Mode.DeriveBoxed))];
        }
        var values = DerivedValues.For(kernels[0].Storage!, batch.RowCount);
        try
        {
            for (var s = 0; s < segments.Count; s++)
            {
                values.Run(kernels[s].Invoke!, fields.Columns, segments[s].Start, segments[s].End);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return null;
        }
        fields.NoteTypes(expression);
        return values.Build();
    }

    private Kernel KernelFor(FieldSegment segment, Mode mode)
    {
        if (Find(Volatile.Read(ref _kernels), segment, mode) is { } known)
        {
            return known;
        }
        lock (_gate)
        {
            if (Find(_kernels, segment, mode) is { } raced)
            {
                return raced;
            }
            var kernel = Compile(segment, mode);
            Volatile.Write(ref _kernels, [.. _kernels, kernel]);
            return kernel;
        }
    }

    private static Kernel? Find(Kernel[] kernels, FieldSegment segment, Mode mode)
    {
        foreach (var kernel in kernels)
        {
            if (kernel.Mode == mode && kernel.Reads.AsSpan().SequenceEqual(segment.Reads) && kernel.Types.AsSpan().SequenceEqual(segment.Types))
            {
                return kernel;
            }
        }
        return null;
    }

    // A signature that does not compile is remembered too (as no kernel), so it is not parsed again for every batch; so
    // is a tree the kernel builder cannot wrap (the record path still evaluates it).
    private Kernel Compile(FieldSegment segment, Mode mode)
    {
        var none = new Kernel(segment.Reads, segment.Types, mode, null, null);
        if (expression.TryParse(segment.Types) is not { } lambda)
        {
            return none;
        }
        try
        {
            if (mode == Mode.Filter)
            {
                return none with { Invoke = ColumnKernels.Filter(lambda, segment.Reads), Storage = typeof(bool) };
            }
            var (invoke, storage) = ColumnKernels.Derive(lambda, segment.Reads, mode == Mode.DeriveBoxed);
            return none with { Invoke = invoke, Storage = storage };
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            return none;
        }
    }
}
