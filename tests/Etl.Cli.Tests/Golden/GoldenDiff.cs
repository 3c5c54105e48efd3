// A short, readable difference between a golden file and a fresh snapshot: where they part, with a few lines around.
using System.Text;

namespace Etl.Cli.Tests.Golden;

public static class GoldenDiff
{
    private const int Context = 3;
    private const int Shown = 25;

    /// <summary>The lines from a little before the first difference: '-' golden only, '+' fresh only, ' ' both;
    /// after a common prefix and suffix are set aside, so an inserted block shows as just that block.</summary>
    public static string Describe(string expected, string actual)
    {
        var a = expected.Split('\n');
        var b = actual.Split('\n');
        var start = 0;
        while (start < a.Length && start < b.Length && a[start] == b[start])
        {
            start++;
        }
        var endA = a.Length;
        var endB = b.Length;
        while (endA > start && endB > start && a[endA - 1] == b[endB - 1])
        {
            endA--;
            endB--;
        }
        var text = new StringBuilder();
        text.Append("@@ golden line ").Append(start + 1).Append(" (golden ").Append(a.Length).Append(" lines, fresh ").Append(b.Length).Append(")\n");
        for (var i = Math.Max(0, start - Context); i < start; i++)
        {
            text.Append("  ").Append(a[i]).Append('\n');
        }
        Block(text, '-', a, start, endA);
        Block(text, '+', b, start, endB);
        for (var i = endA; i < Math.Min(a.Length, endA + Context); i++)
        {
            text.Append("  ").Append(a[i]).Append('\n');
        }
        return text.ToString();
    }

    private static void Block(StringBuilder text, char sign, string[] lines, int start, int end)
    {
        for (var i = start; i < Math.Min(end, start + Shown); i++)
        {
            text.Append(sign).Append(' ').Append(lines[i]).Append('\n');
        }
        if (end - start > Shown)
        {
            text.Append(sign).Append(" … ").Append(end - start - Shown).Append(" more lines\n");
        }
    }
}
