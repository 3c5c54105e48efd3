// The table printed after interactive runs: one row per spec.
using System.Globalization;
using Etl.Runtime;
using Spectre.Console;

namespace Etl.Cli.Output;

public static class SummaryTable
{
    public static Table Render(IEnumerable<RunResult> results)
    {
        var table = new Table().Border(TableBorder.Rounded).Title("[bold]summary[/]")
            .AddColumn("spec").AddColumn("status")
            .AddColumn(new TableColumn("read").RightAligned()).AddColumn(new TableColumn("filtered").RightAligned())
            .AddColumn(new TableColumn("failed").RightAligned()).AddColumn(new TableColumn("written").RightAligned())
            .AddColumn(new TableColumn("files").RightAligned()).AddColumn(new TableColumn("requests").RightAligned())
            .AddColumn(new TableColumn("seconds").RightAligned());
        foreach (var r in results)
        {
            var color = r.Status == RunStatus.Succeeded ? "green" : "red";
            table.AddRow(Markup.Escape(r.SpecName), $"[{color}]{r.Status.ToString().ToLowerInvariant()}[/]",
                N(r.Read), N(r.Filtered), N(r.Failed), N(r.Written), N(r.Files), Requests(r), r.Seconds.ToString("F1", CultureInfo.InvariantCulture));
        }
        return table;
    }

    // Parent requests (listings feeding value sets) apart from the child requests they led to.
    private static string Requests(RunResult r) =>
        r.ParentRequests > 0 ? $"{N(r.Requests - r.ParentRequests)} + {N(r.ParentRequests)} parent" : N(r.Requests);

    private static string N(long n) => n.ToString("N0", CultureInfo.InvariantCulture);
}
