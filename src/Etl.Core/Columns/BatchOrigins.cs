// Where each row of a column batch came from ("file.csv:12"), kept as one number per row until a dead letter needs it.
namespace Etl.Columns;

/// <summary>The origin of row r is <c>{File}{Separator}{Positions[r]}{Suffix}</c>, e.g. "orders.csv:12" or "items.json:[3]".</summary>
public sealed record BatchOrigins(string File, long[] Positions, string Separator = ":", string? Suffix = null)
{
    public string At(int row) => string.Concat(File, Separator, Positions[row].ToString(System.Globalization.CultureInfo.InvariantCulture), Suffix);

    public BatchOrigins Gather(ReadOnlySpan<int> rows)
    {
        var positions = new long[rows.Length];
        for (var i = 0; i < rows.Length; i++)
        {
            positions[i] = Positions[rows[i]];
        }
        return this with { Positions = positions };
    }

    public BatchOrigins Slice(int start, int count) => this with { Positions = Positions.AsSpan(start, count).ToArray() };
}
