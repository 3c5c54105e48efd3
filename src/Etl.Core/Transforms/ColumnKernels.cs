// Compiles a parsed filter or derive expression into a loop over typed column arrays (one kernel per field signature).
using System.Linq.Expressions;
using DynamicExpresso;
using Etl.Columns;
using Etl.Records;

namespace Etl.Transforms;

/// <summary>Keeps rows [start, end) where the expression is true: writes their numbers to keep from count on and
/// returns the new count. inputs[i] is the column of the expression's i-th field (null where the field is not read).</summary>
internal delegate int FilterKernel(Column?[] inputs, int start, int end, int[] keep, int count);

/// <summary>Writes the expression's value for rows [start, end) to values[row], setting nulls[row] for a null of a value
/// type.</summary>
internal delegate void DeriveKernel<T>(Column?[] inputs, int start, int end, T[] values, bool[] nulls);

/// <summary>
/// Builds kernels from DynamicExpresso's expression tree: the lambda's parameters become block variables assigned from
/// the columns row by row (typed reads, no boxing), and the body runs inside the loop, so one delegate call covers a
/// whole batch. A field that is not read is null (its type still chosen as the record path would).
/// </summary>
internal static class ColumnKernels
{
    /// <summary>The kernel for a filter, or null when the expression's type is not bool (the record path then fails or
    /// filters each row by its value).</summary>
    public static FilterKernel? Filter(Lambda lambda, Type?[] reads)
    {
        var test = lambda.Expression;
        if (test.Type == typeof(bool?))
        {
            // null counts as false, as in FilterTransform.Apply.
            test = Expression.Call(test, nameof(Nullable<bool>.GetValueOrDefault), Type.EmptyTypes);
        }
        else if (test.Type != typeof(bool))
        {
            return null;
        }
        var keep = Expression.Parameter(typeof(int[]), "keep");
        var count = Expression.Parameter(typeof(int), "count");
        return (FilterKernel)Compile(typeof(FilterKernel), lambda, reads, row =>
            Expression.IfThen(test, Expression.Assign(Expression.ArrayAccess(keep, Expression.PostIncrementAssign(count)), row)),
            [keep, count], count);
    }

    /// <summary>The kernel for derive, storing values as <see cref="StorageOf"/> the expression's type (or boxed, when
    /// <paramref name="boxed"/>), and that storage type.</summary>
    public static (Delegate Kernel, Type Storage) Derive(Lambda lambda, Type?[] reads, bool boxed)
    {
        var result = lambda.Expression;
        var storage = boxed ? typeof(object) : StorageOf(result.Type);
        var values = Expression.Parameter(storage.MakeArrayType(), "values");
        var nulls = Expression.Parameter(typeof(bool[]), "nulls");
        var kernel = Compile(typeof(DeriveKernel<>).MakeGenericType(storage), lambda, reads, row =>
        {
            var target = Expression.ArrayAccess(values, row);
            if (storage.IsValueType && Nullable.GetUnderlyingType(result.Type) is not null)
            {
                var value = Expression.Variable(result.Type, "value");
                return Expression.Block([value],
                    Expression.Assign(value, result),
                    Expression.IfThenElse(Expression.Property(value, nameof(Nullable<int>.HasValue)),
                        Expression.Assign(target, Expression.Convert(Expression.Call(value, nameof(Nullable<int>.GetValueOrDefault), Type.EmptyTypes), storage)),
                        Expression.Assign(Expression.ArrayAccess(nulls, row), Expression.Constant(true))));
            }
            return Expression.Assign(target, Expression.Convert(result, storage));
        }, [values, nulls], null);
        return (kernel, storage);
    }

    /// <summary>How derived values of a type are stored: the column types (int widened to long, as DeriveTransform
    /// stores it), else boxed.</summary>
    public static Type StorageOf(Type type)
    {
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        if (underlying == typeof(int))
        {
            return typeof(long);
        }
        return underlying == typeof(long) || underlying == typeof(decimal) || underlying == typeof(bool) || underlying == typeof(double)
            || underlying == typeof(DateTime) || underlying == typeof(DateOnly) || underlying == typeof(string)
            ? underlying
            : typeof(object);
    }

    private static Delegate Compile(Type delegateType, Lambda lambda, Type?[] reads, Func<ParameterExpression, Expression> perRow,
        ParameterExpression[] extra, Expression? returns)
    {
        var inputs = Expression.Parameter(typeof(Column?[]), "inputs");
        var start = Expression.Parameter(typeof(int), "start");
        var end = Expression.Parameter(typeof(int), "end");
        var row = Expression.Variable(typeof(int), "row");
        var fields = lambda.DeclaredParameters.Select(p => p.Expression).ToArray();
        var locals = new List<ParameterExpression>(fields) { row };
        var body = new List<Expression>();
        var loop = new List<Expression>();
        for (var i = 0; i < fields.Length; i++)
        {
            if (reads[i] is { } columnClass)
            {
                // The column is cast once per call, not once per row.
                var column = Expression.Variable(columnClass, "column" + i);
                locals.Add(column);
                body.Add(Expression.Assign(column, Expression.Convert(Expression.ArrayIndex(inputs, Expression.Constant(i)), column.Type)));
                loop.Add(Expression.Assign(fields[i], Read(column, row, fields[i].Type)));
            }
            else
            {
                loop.Add(Expression.Assign(fields[i], Expression.Default(fields[i].Type)));
            }
        }
        loop.Add(perRow(row));
        loop.Add(Expression.PreIncrementAssign(row));
        var done = Expression.Label("done");
        body.Add(Expression.Assign(row, start));
        body.Add(Expression.Loop(Expression.IfThenElse(Expression.LessThan(row, end), Expression.Block(loop), Expression.Break(done)), done));
        body.Add(returns ?? Expression.Empty());
        return Expression.Lambda(delegateType, Expression.Block(locals, body), [inputs, start, end, .. extra]).Compile();
    }

    // The value as RecordExpression.Normalize gives it: int as long, double as decimal (columns holding a double that
    // is not read as a decimal never reach a kernel); a boxed value of the column's one type is unboxed or cast.
    private static Expression Read(ParameterExpression column, ParameterExpression row, Type fieldType)
    {
        Expression value = column.Type switch
        {
            _ when column.Type == typeof(TypedColumn<int>) => Expression.Call(typeof(ColumnKernels), nameof(Int32At), Type.EmptyTypes, column, row),
            _ when column.Type == typeof(TypedColumn<double>) => Expression.Call(typeof(ColumnKernels), nameof(DoubleAt), Type.EmptyTypes, column, row),
            _ when column.Type == typeof(ValueColumn) => Expression.ArrayIndex(Expression.Property(column, nameof(ValueColumn.Values)), row),
            _ => Expression.Call(column, "Get", Type.EmptyTypes, row),
        };
        return value.Type == fieldType ? value : Expression.Convert(value, fieldType);
    }

    internal static long? Int32At(TypedColumn<int> column, int row) => column.IsNull(row) ? null : column.Values[row];

    internal static decimal? DoubleAt(TypedColumn<double> column, int row) => column.IsNull(row) ? null : (decimal)column.Values[row];
}
