// Random pieces of nested order lines for the fuzz tests of explode + select: scalars of every JSON kind (and an
// integer beyond a long), items arrays of objects, scalars and arrays, repeated and missing field names.
using System.Globalization;

namespace Etl.Core.Tests.TestSupport;

internal sealed class RandomOrderJson(Random random)
{
    public const string BeyondLong = "12345678901234567890";

    public string Scalar() => random.Next(7) switch
    {
        0 => "null",
        1 => random.Next(-5, 1000).ToString(CultureInfo.InvariantCulture),
        2 => (random.Next(0, 100000) / 100.0).ToString("0.0#", CultureInfo.InvariantCulture),
        3 => random.Next(2) == 0 ? "true" : "false",
        4 => "\"s\\u00e9" + random.Next(50) + "\"",
        5 => BeyondLong,
        _ => "\"" + new string('x', random.Next(0, 40)) + "\"",
    };

    /// <summary>An items value: null, empty, or one to four elements of objects (sku, qty, price…), scalars and arrays.</summary>
    public string Items() => random.Next(8) switch
    {
        0 => "null",
        1 => "[]",
        _ => "[" + string.Join(", ", Enumerable.Range(0, random.Next(1, 5)).Select(_ => Item())) + "]",
    };

    private string Item() => random.Next(6) switch
    {
        0 => Scalar(),
        1 => "[" + Scalar() + "]",
        _ => "{" + string.Join(", ", new[] { "sku", "qty", "price", "extra", "sku" }.Take(random.Next(1, 6)).Select(n => $"\"{n}\": {Scalar()}")) + "}",
    };
}
