// What a run does when records stop fitting the schema fixed from the first batch.
namespace Etl.Spec;

public enum SchemaChangePolicy
{
    /// <summary>New columns are added and types widen where no value is lost; files roll over to the new schema.</summary>
    Evolve,

    /// <summary>A record that does not fit the fixed schema is dead-lettered, naming the column.</summary>
    Freeze,

    /// <summary>Columns that appear after the schema is fixed are not written (a warning says so).</summary>
    DiscardColumns,
}
