// The declared columns that the transforms remove (select without them, drop, rename away): they are not written.
using Etl.Spec;
using Etl.Transforms;

namespace Etl.Runtime;

public static class RemovedColumns
{
    /// <summary>Names declared in "schema" that no record can carry after the transforms. The declaration still types
    /// the source (a filter can compare decimals), but such a column would only be written as nulls.</summary>
    public static IReadOnlySet<string> Of(PipelineSpec spec)
    {
        var removed = new HashSet<string>(StringComparer.Ordinal);
        if (spec.Columns is null)
        {
            return removed;
        }
        foreach (var transform in spec.Transforms ?? [])
        {
            switch (transform)
            {
                case SelectTransformSpec select:
                    removed.UnionWith(spec.Columns.Keys.Where(k => !select.Columns.ContainsKey(k)));
                    removed.ExceptWith(select.Columns.Keys);
                    break;
                case DropTransformSpec drop:
                    removed.UnionWith(drop.Columns);
                    break;
                case RenameTransformSpec rename:
                    removed.UnionWith(rename.Columns.Keys);
                    removed.ExceptWith(rename.Columns.Values);
                    break;
                case DeriveTransformSpec derive:
                    removed.Remove(derive.Column);
                    break;
                case ExplodeTransformSpec { As: { } name }:
                    removed.Remove(name);
                    break;
            }
        }
        removed.IntersectWith(spec.Columns.Keys);
        return removed;
    }

    /// <summary>What `etl validate` says about each such declaration.</summary>
    public static IEnumerable<string> Notes(LoadedSpec loaded) =>
        Of(loaded.Spec).Select(name => $"{loaded.FilePath}: note: $.schema.{name} is declared but the transforms remove column '{name}'; it types the source but is not written");
}
