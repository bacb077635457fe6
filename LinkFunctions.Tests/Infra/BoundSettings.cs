using System.Reflection;
using LinkFunctions.Hosting;
using LinkFunctions.LineApi;

namespace LinkFunctions.Tests.Infra;

/// <summary>
/// The configuration keys the app binds, found by reflection: every public type of the app (options live in the folder
/// of the feature they configure) whose name ends in <c>Options</c> and that has a <c>public const string Section</c>,
/// and each of its public properties with a public setter or of a list type the binder fills in place, as
/// <c>{Section}__{Property}</c>. A new options class is picked up unaided.
/// </summary>
internal static class BoundSettings
{
    /// <summary>Bound, but refused by the app in Azure: they must never be app settings.</summary>
    public static readonly IReadOnlyList<string> LocalOnly =
    [
        "Line__ChannelSecret",
        "Cosmos__ConnectionString",
        "Cosmos__CreateIfNotExists",
        "Auth__AllowUnverifiedPrincipalHeaders",
        "LineLogin__ChannelSecret",
        "LineLogin__TokenKey",
        "Telemetry__IdHashKey",
        "Linking__NotifySecret",
    ];

    public static IReadOnlyList<Type> OptionsTypes() =>
        typeof(LineOptions).Assembly.GetExportedTypes()
            .Where(t => t.IsPublic && t.Namespace?.StartsWith("LinkFunctions", StringComparison.Ordinal) == true)
            .Where(t => t.Name.EndsWith("Options", StringComparison.Ordinal) && SectionOf(t) is not null)
            .OrderBy(t => t.Name, StringComparer.Ordinal)
            .ToList();

    public static IReadOnlyList<string> Keys() =>
        OptionsTypes()
            .SelectMany(t => t.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .Where(p => p.GetIndexParameters().Length == 0 && (p.SetMethod is { IsPublic: true } || IsBinderFilledList(p.PropertyType)))
                .Select(p => $"{SectionOf(t)!.Replace(":", "__", StringComparison.Ordinal)}__{p.Name}"))
            .ToList();

    /// <summary>True when an app setting feeds the bound key: the key itself, or an element of it (<c>Key__0</c>).</summary>
    public static bool Feeds(string setting, string boundKey) =>
        string.Equals(setting, boundKey, StringComparison.OrdinalIgnoreCase)
        || setting.StartsWith(boundKey + "__", StringComparison.OrdinalIgnoreCase);

    /// <summary>A get-only <c>IList&lt;T&gt;</c> or <c>List&lt;T&gt;</c> is filled in place by the configuration binder.</summary>
    private static bool IsBinderFilledList(Type type) =>
        type.IsGenericType && (type.GetGenericTypeDefinition() == typeof(IList<>) || type.GetGenericTypeDefinition() == typeof(List<>));

    private static string? SectionOf(Type type) =>
        type.GetField("Section", BindingFlags.Public | BindingFlags.Static) is { IsLiteral: true } field && field.FieldType == typeof(string)
            ? (string?)field.GetRawConstantValue()
            : null;
}
