// Generates the wide benchmark CSV deterministically from a seed: 500 columns of small integers, decimals, short words and timestamps.
using System.Globalization;
using System.Text;

namespace Etl.Benchmarks.Data;

public static class WideGenerator
{
    public const int Columns = 500;

    private static readonly string[] Words = ["ab", "cd", "efg", "hi", "jkl", "mn", "op", "qrs"];

    private static readonly DateTime Start = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>Column c holds, by c % 5: an integer 0–999, a decimal d.d, a short word, a digit, and (every 50th
    /// column instead) an ISO timestamp.</summary>
    public static void WriteCsv(string path, int seed, long rows)
    {
        var rng = new Random(seed);
        using var writer = new StreamWriter(path, append: false, new UTF8Encoding(false), 1 << 20);
        writer.Write(string.Join(',', Enumerable.Range(1, Columns).Select(c => $"c{c}")));
        writer.Write('\n');
        var line = new StringBuilder(4096);
        for (long r = 0; r < rows; r++)
        {
            line.Clear();
            for (var c = 0; c < Columns; c++)
            {
                if (c > 0)
                {
                    line.Append(',');
                }
                AppendField(line, rng, c);
            }
            line.Append('\n');
            writer.Write(line);
        }
    }

    private static void AppendField(StringBuilder line, Random rng, int column)
    {
        var inv = CultureInfo.InvariantCulture;
        if (column % 50 == 49)
        {
            line.Append(Start.AddSeconds(rng.Next(0, 365 * 86_400)).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", inv));
            return;
        }
        switch (column % 5)
        {
            case 0: line.Append(rng.Next(0, 1000).ToString(inv)); break;
            case 1: line.Append(inv, $"{rng.Next(0, 10)}.{rng.Next(0, 10)}"); break;
            case 2: line.Append(Words[rng.Next(Words.Length)]); break;
            default: line.Append((char)('0' + rng.Next(0, 10))); break;
        }
    }
}
