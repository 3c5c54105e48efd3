// A unified diff of a golden file against a fresh snapshot, by longest common subsequence of lines, cut short after
// enough changed lines to see what broke.
using System.Text;

namespace Etl.Cli.Tests.Golden;

public static class GoldenDiff
{
    private const int Context = 3;
    private const int MaxChangedLines = 40;

    /// <summary>'-' lines only in the golden file, '+' lines only in the fresh snapshot, ' ' context; each hunk headed by
    /// its golden line number.</summary>
    public static string Describe(string expected, string actual)
    {
        var a = expected.Split('\n');
        var b = actual.Split('\n');
        var edits = Edits(a, b);
        var text = new StringBuilder();
        var changed = 0;
        var lastShown = -1;
        for (var i = 0; i < edits.Count && changed < MaxChangedLines; i++)
        {
            if (edits[i].Sign == ' ')
            {
                continue;
            }
            var from = Math.Max(lastShown + 1, i - Context);
            if (from > lastShown + 1 || lastShown < 0)
            {
                text.Append("@@ golden line ").Append(edits[from].GoldenLine + 1).Append('\n');
            }
            for (var j = from; j < i; j++)
            {
                text.Append(edits[j].Sign).Append(' ').Append(edits[j].Line).Append('\n');
            }
            var end = i;
            while (end < edits.Count && (edits[end].Sign != ' ' || NextChangeWithin(edits, end)) && changed < MaxChangedLines)
            {
                changed += edits[end].Sign == ' ' ? 0 : 1;
                text.Append(edits[end].Sign).Append(' ').Append(edits[end].Line).Append('\n');
                end++;
            }
            for (var j = end; j < Math.Min(edits.Count, end + Context); j++)
            {
                text.Append(edits[j].Sign).Append(' ').Append(edits[j].Line).Append('\n');
            }
            lastShown = Math.Min(edits.Count, end + Context) - 1;
            i = lastShown;
        }
        if (changed >= MaxChangedLines)
        {
            text.Append("… (more differences not shown)\n");
        }
        return text.ToString();
    }

    private static bool NextChangeWithin(List<(char Sign, string Line, int GoldenLine)> edits, int index)
    {
        for (var j = index; j < Math.Min(edits.Count, index + 2 * Context + 1); j++)
        {
            if (edits[j].Sign != ' ')
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>The edit script from <paramref name="a"/> to <paramref name="b"/>, with each entry's golden line index.</summary>
    private static List<(char Sign, string Line, int GoldenLine)> Edits(string[] a, string[] b)
    {
        var common = new int[a.Length + 1, b.Length + 1];
        for (var i = a.Length - 1; i >= 0; i--)
        {
            for (var j = b.Length - 1; j >= 0; j--)
            {
                common[i, j] = a[i] == b[j] ? common[i + 1, j + 1] + 1 : Math.Max(common[i + 1, j], common[i, j + 1]);
            }
        }
        var edits = new List<(char, string, int)>();
        int x = 0, y = 0;
        while (x < a.Length || y < b.Length)
        {
            if (x < a.Length && y < b.Length && a[x] == b[y])
            {
                edits.Add((' ', a[x], x++));
                y++;
            }
            else if (x < a.Length && (y == b.Length || common[x + 1, y] >= common[x, y + 1]))
            {
                edits.Add(('-', a[x], x++));
            }
            else
            {
                edits.Add(('+', b[y++], x));
            }
        }
        return edits;
    }
}
