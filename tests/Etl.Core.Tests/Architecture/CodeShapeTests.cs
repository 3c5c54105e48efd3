// Rules the code base keeps without anyone remembering them: short methods, and layers that point one way.
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Etl.Core.Tests.Architecture;

public sealed class CodeShapeTests
{
    public const int MaxMethodLines = 80;

    /// <summary>Which Etl namespaces each layer of Etl.Core may use: Runtime → components → Lake → Storage, with Spec
    /// and Records read by all and using neither the runtime nor a component.</summary>
    public static TheoryData<string, string[]> Layers => new()
    {
        { "Storage", [] },
        { "Records", [] },
        { "Columns", ["Etl.Records"] },
        { "Spec", ["Etl.Records", "Etl.Storage"] },
        { "Lake", ["Etl.Records", "Etl.Spec", "Etl.Storage"] },
    };

    [Fact]
    public void Methods_InSrc_FitOnAScreen()
    {
        var tooLong = SourceTree.Parse("src")
            .SelectMany(file => file.Tree.GetRoot().DescendantNodes().Where(HasBody).Select(node => (file.Path, Node: node)))
            .Select(m => (m.Path, Line: Lines(m.Node).Start, Count: Lines(m.Node).Count, Name: NameOf(m.Node)))
            .Where(m => m.Count > MaxMethodLines)
            .Select(m => $"{m.Path}:{m.Line} {m.Name}: {m.Count} lines")
            .ToList();

        Assert.Equal([], tooLong);
    }

    [Theory]
    [MemberData(nameof(Layers))]
    public void Layer_UsesOnlyTheLayersBelowIt(string folder, string[] allowed)
    {
        var backwards = SourceTree.Parse($"src/Etl.Core/{folder}")
            .SelectMany(file => file.Tree.GetRoot().DescendantNodes().OfType<UsingDirectiveSyntax>()
                .Select(u => (file.Path, Name: u.Name?.ToString() ?? "")))
            .Where(u => u.Name.StartsWith("Etl.", StringComparison.Ordinal) && u.Name != $"Etl.{folder}" && !allowed.Contains(u.Name))
            .Select(u => $"{u.Path}: using {u.Name}")
            .ToList();

        Assert.Equal([], backwards);
    }

    private static bool HasBody(SyntaxNode node) => node switch
    {
        BaseMethodDeclarationSyntax m => m.Body is not null || m.ExpressionBody is not null,
        AccessorDeclarationSyntax a => a.Body is not null || a.ExpressionBody is not null,
        LocalFunctionStatementSyntax => true,
        _ => false,
    };

    private static (int Start, int Count) Lines(SyntaxNode node)
    {
        var span = node.GetLocation().GetLineSpan();
        return (span.StartLinePosition.Line + 1, span.EndLinePosition.Line - span.StartLinePosition.Line + 1);
    }

    private static string NameOf(SyntaxNode node) => node switch
    {
        MethodDeclarationSyntax m => m.Identifier.Text,
        ConstructorDeclarationSyntax c => c.Identifier.Text + " (constructor)",
        LocalFunctionStatementSyntax f => f.Identifier.Text + " (local function)",
        AccessorDeclarationSyntax a => a.Keyword.Text + " accessor",
        _ => node.Kind().ToString(),
    };
}
