// A batch transform that can leave out of its output the columns that the transforms after it never read (the plan
// knows them), instead of carrying them row by row.
namespace Etl.Transforms;

public interface ICarriedColumns : IBatchTransform
{
    /// <summary>This transform, whose batch kernel carries only the input columns named in <paramref name="read"/>
    /// (and the columns it makes); its record path is unchanged.</summary>
    IBatchTransform CarryingOnly(IReadOnlySet<string> read);
}
