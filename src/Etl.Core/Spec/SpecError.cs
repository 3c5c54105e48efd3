// One problem in a spec, located by file, line, column and JSON path; and the exception carrying them all.
namespace Etl.Spec;

public sealed record SpecError(string File, int Line, int Column, string JsonPath, string Message)
{
    public override string ToString() =>
        Line > 0 ? $"{File}:{Line}:{Column} {JsonPath}: {Message}" : $"{File} {JsonPath}: {Message}";
}

public sealed class SpecException(IReadOnlyList<SpecError> errors)
    : Exception(string.Join(Environment.NewLine, errors.Select(e => e.ToString())))
{
    public IReadOnlyList<SpecError> Errors { get; } = errors;
}
