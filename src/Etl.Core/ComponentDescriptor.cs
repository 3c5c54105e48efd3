// Describes one source, transform or sink: its spec "type", spec record and how to build it.
using Etl.Runtime;
using Etl.Sinks;
using Etl.Sources;
using Etl.Spec;
using Etl.Transforms;

namespace Etl;

public enum ComponentKind { Source, Transform, Sink }

public sealed class ComponentDescriptor
{
    private readonly Func<object, RunContext, object> _create;

    private ComponentDescriptor(ComponentKind kind, string type, Type specType, string summary, Func<object, RunContext, object> create)
    {
        Kind = kind;
        Type = type;
        SpecType = specType;
        Summary = summary;
        _create = create;
    }

    public ComponentKind Kind { get; }

    public string Type { get; }

    public Type SpecType { get; }

    public string Summary { get; }

    public object Create(object spec, RunContext run) => _create(spec, run);

    /// <summary>Runs the component's code path once on made-up input, so it is compiled before a run needs it; started on
    /// another thread as soon as the spec of a run names the component. Its failure is only a missed head start.</summary>
    public Func<Task>? Rehearsal { get; private init; }

    /// <summary>Records that converters of the spec record read through the serializer (a value set's object form): the
    /// serializer's view of the spec meets them only when a spec is read, so they are built beside it ahead of that.</summary>
    public IReadOnlyList<Type> ReadThrough { get; private init; } = [];

    public static ComponentDescriptor Source<TSpec>(string type, string summary, Func<TSpec, RunContext, ISource> create, Func<Task>? rehearsal = null,
        IReadOnlyList<Type>? readThrough = null)
        where TSpec : SourceSpec => new(ComponentKind.Source, type, typeof(TSpec), summary, (s, r) => create((TSpec)s, r))
        {
            Rehearsal = rehearsal,
            ReadThrough = readThrough ?? [],
        };

    public static ComponentDescriptor Transform<TSpec>(string type, string summary, Func<TSpec, RunContext, ITransform> create)
        where TSpec : TransformSpec => new(ComponentKind.Transform, type, typeof(TSpec), summary, (s, r) => create((TSpec)s, r));

    public static ComponentDescriptor Sink<TSpec>(string type, string summary, Func<TSpec, RunContext, ISink> create)
        where TSpec : SinkSpec => new(ComponentKind.Sink, type, typeof(TSpec), summary, (s, r) => create((TSpec)s, r));
}
