// Compiles filter and derive expressions with DynamicExpresso, typed by the values each record carries.
using System.Linq.Expressions;
using DynamicExpresso;
using DynamicExpresso.Exceptions;
using Etl.Records;

namespace Etl.Transforms;

/// <summary>
/// An expression over a record's top-level fields (C# syntax: <c>amount &gt; 100 &amp;&amp; country == "FR"</c>).
/// Fields are typed per record (null keeps the last type seen); one compiled lambda per type signature is cached.
/// Numbers are decimals so that <c>amount * 1.1</c> stays exact.
/// </summary>
public sealed class RecordExpression
{
    // Types tried, in order, for a field that has only been null so far; at most this many combinations.
    private static readonly Type[] NullTypeGuesses =
        [typeof(string), typeof(decimal?), typeof(long?), typeof(bool?), typeof(DateTime?), typeof(DateOnly?)];
    private const int MaxTypeGuesses = 256;

    private readonly Interpreter _interpreter;
    private readonly string[] _identifiers;
    private readonly Lock _gate = new();
    private (Type?[] Types, Func<object?[], object?> Invoke)[] _compiled = [];
    private readonly Type?[] _lastTypes;

    public RecordExpression(string text)
    {
        Text = text;
        _interpreter = CreateInterpreter(InterpreterOptions.Default | InterpreterOptions.LambdaExpressions);
        try
        {
            _identifiers = [.. _interpreter.DetectIdentifiers(text).UnknownIdentifiers];
        }
        catch (ParseException e)
        {
            throw new FormatException($"expression \"{text}\": {e.Message}", e);
        }
        _lastTypes = new Type?[_identifiers.Length];
    }

    public string Text { get; }

    /// <summary>Checks the syntax with every field late-bound (its type comes with the records); used to validate specs,
    /// so that "amount >" is refused before the run rather than failing every record.</summary>
    public static string? CheckSyntax(string text)
    {
        try
        {
            var expression = new RecordExpression(text);
            var syntax = CreateInterpreter(InterpreterOptions.Default | InterpreterOptions.LambdaExpressions | InterpreterOptions.LateBindObject);
            syntax.Parse(text, [.. expression._identifiers.Select(n => new Parameter(n, typeof(object)))]);
            return null;
        }
        catch (FormatException e)
        {
            return e.Message;
        }
        catch (Exception e) when (e is ParseException or InvalidOperationException or ArgumentException)
        {
            return $"expression \"{text}\": {e.Message}";
        }
    }

    private static Interpreter CreateInterpreter(InterpreterOptions options)
    {
        var interpreter = new Interpreter(options).SetDefaultNumberType(DefaultNumberType.Decimal);
        interpreter.Reference(typeof(Math));
        interpreter.Reference(typeof(DateTime));
        interpreter.Reference(typeof(DateOnly));
        return interpreter;
    }

    public object? Evaluate(Record record)
    {
        var args = new object?[_identifiers.Length];
        var types = new Type?[_identifiers.Length];
        for (var i = 0; i < _identifiers.Length; i++)
        {
            var value = Normalize(record[_identifiers[i]]);
            args[i] = value;
            var type = value is null ? _lastTypes[i] : NullableOf(value.GetType());
            _lastTypes[i] = type;
            types[i] = type;
        }
        var invoke = Compiled(types);
        try
        {
            return invoke(args);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new RecordException($"expression \"{Text}\" failed: {e.Message}");
        }
    }

    /// <summary>The delegate for one signature of field types: DynamicExpresso's expression tree wrapped so that it
    /// takes the values as an array and is compiled once (invoking the lambda per record would use reflection).</summary>
    private Func<object?[], object?> Compiled(Type?[] types)
    {
        foreach (var (known, invoke) in _compiled)
        {
            if (known.AsSpan().SequenceEqual(types))
            {
                return invoke;
            }
        }
        lock (_gate)
        {
            Lambda lambda;
            try
            {
                lambda = Parse(types);
            }
            catch (Exception e) when (e is ParseException or InvalidOperationException or ArgumentException)
            {
                var fields = string.Join(", ", _identifiers.Select((n, i) => $"{n}: {(types[i] is { } t ? Describe(t) : "null")}"));
                throw new RecordException($"expression \"{Text}\" does not apply to this record ({fields}): {e.Message}");
            }
            var args = Expression.Parameter(typeof(object?[]), "args");
            var parameters = lambda.DeclaredParameters.Select(p => p.Expression).ToArray();
            var body = new List<Expression>();
            for (var i = 0; i < parameters.Length; i++)
            {
                body.Add(Expression.Assign(parameters[i], Expression.Convert(Expression.ArrayIndex(args, Expression.Constant(i)), parameters[i].Type)));
            }
            body.Add(Expression.Convert(lambda.Expression, typeof(object)));
            var compiled = Expression.Lambda<Func<object?[], object?>>(Expression.Block(parameters, body), args).Compile();
            _compiled = [.. _compiled, (types, compiled)];
            return compiled;
        }
    }

    // A field that has only been null so far has no type yet: try text first, then the other value types, so that
    // "amount > 100" on a leading null compiles (and is null, hence false) instead of failing as a text comparison.
    private Lambda Parse(Type?[] types)
    {
        var unknown = Enumerable.Range(0, types.Length).Where(i => types[i] is null).ToArray();
        var choice = new int[unknown.Length];
        Exception? first = null;
        for (var attempt = 0; attempt < MaxTypeGuesses; attempt++)
        {
            var guess = (Type?[])types.Clone();
            for (var u = 0; u < unknown.Length; u++)
            {
                guess[unknown[u]] = NullTypeGuesses[choice[u]];
            }
            try
            {
                return _interpreter.Parse(Text, [.. _identifiers.Select((n, i) => new Parameter(n, guess[i]!))]);
            }
            catch (Exception e) when (e is ParseException or InvalidOperationException or ArgumentException)
            {
                first ??= e;
            }
            // The next combination of guesses, counted like an odometer; done when it wraps around.
            var digit = 0;
            while (digit < choice.Length && ++choice[digit] == NullTypeGuesses.Length)
            {
                choice[digit++] = 0;
            }
            if (digit == choice.Length)
            {
                break;
            }
        }
        throw first!;
    }

    /// <summary>The fields the expression reads, in the order of its parameters.</summary>
    internal IReadOnlyList<string> Identifiers => _identifiers;

    /// <summary>The type a null value of field <paramref name="index"/> would take now (the last type seen; null when
    /// only nulls were seen).</summary>
    internal Type? LastType(int index) => _lastTypes[index];

    /// <summary>Records that field <paramref name="index"/> was last seen with a value of <paramref name="type"/>, as
    /// evaluating those records one by one would have.</summary>
    internal void NoteType(int index, Type type) => _lastTypes[index] = type;

    /// <summary>The parsed lambda for one signature of field types (null = guessed as for a field only seen null), or
    /// null where the record path would refuse the signature.</summary>
    internal Lambda? TryParse(Type?[] types)
    {
        lock (_gate)
        {
            try
            {
                return Parse(types);
            }
            catch (Exception e) when (e is ParseException or InvalidOperationException or ArgumentException)
            {
                return null;
            }
        }
    }

    /// <summary>The type a field takes for a non-null value of a column of <paramref name="kind"/>, after
    /// <see cref="Normalize"/> (int as long, finite double as decimal).</summary>
    internal static Type TypeOf(ColumnKind kind) => kind switch
    {
        ColumnKind.String => typeof(string),
        ColumnKind.Bool => typeof(bool?),
        ColumnKind.Int32 or ColumnKind.Int64 => typeof(long?),
        ColumnKind.Double or ColumnKind.Decimal => typeof(decimal?),
        ColumnKind.Date => typeof(DateOnly?),
        ColumnKind.Timestamp => typeof(DateTime?),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "no field type for this kind"),
    };

    /// <summary>Whether a double is read as a decimal (<see cref="Normalize"/>); other doubles keep their type.</summary>
    internal static bool ReadsAsDecimal(double d) => double.IsFinite(d) && Math.Abs(d) < 7.9e27;

    private static string Describe(Type t) => Nullable.GetUnderlyingType(t)?.Name.ToLowerInvariant() ?? t.Name.ToLowerInvariant();

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<Type, Type> NullableTypes = new();

    // Cached: MakeGenericType per value would cost more than the expression itself.
    private static Type NullableOf(Type t) => t.IsValueType ? NullableTypes.GetOrAdd(t, v => typeof(Nullable<>).MakeGenericType(v)) : t;

    private static object? Normalize(object? value) => value switch
    {
        int i => (long)i,
        double d when ReadsAsDecimal(d) => (decimal)d,
        _ => value,
    };
}
