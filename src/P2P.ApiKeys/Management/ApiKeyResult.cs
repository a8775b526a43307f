using System.Diagnostics.CodeAnalysis;

namespace P2P.ApiKeys;

/// <summary>The outcome of an <see cref="IApiKeyManager"/> call: a value, or what is wrong. Made by <see cref="ApiKeyResult"/>.</summary>
/// <typeparam name="T">The value of a success.</typeparam>
public sealed class ApiKeyResult<T>
    where T : class
{
    private static readonly IReadOnlyDictionary<string, string[]> NoErrors = new Dictionary<string, string[]>();

    private ApiKeyResult(T? value, ApiKeyError error, string? detail, IReadOnlyDictionary<string, string[]>? errors)
    {
        Value = value;
        Error = error;
        Detail = detail;
        Errors = errors ?? NoErrors;
    }

    /// <summary>Whether the call succeeded; then <see cref="Value"/> is set.</summary>
    [MemberNotNullWhen(true, nameof(Value))]
    public bool Succeeded => Error == ApiKeyError.None;

    /// <summary>The value of a success.</summary>
    public T? Value { get; }

    /// <summary>Why the call failed, or <see cref="ApiKeyError.None"/>.</summary>
    public ApiKeyError Error { get; }

    /// <summary>A sentence that says what is wrong, for a failure; never holds a secret.</summary>
    public string? Detail { get; }

    /// <summary>For <see cref="ApiKeyError.Invalid"/>: messages per field (<c>name</c>, <c>scopes</c>, <c>expires_at</c>, <c>metadata</c>, <c>owner</c>, <c>grace_period</c>).</summary>
    public IReadOnlyDictionary<string, string[]> Errors { get; }

    /// <summary>
    /// A success that wrote nothing: the request asked for the state the key was already in. Internal until the manager
    /// writes the audit trail itself: the admin endpoints then skip their entry.
    /// </summary>
    internal bool WroteNothing { get; private init; }

    /// <summary>A success holding <paramref name="value"/>.</summary>
    internal static ApiKeyResult<T> Success(T value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return new(value, ApiKeyError.None, null, null);
    }

    /// <summary>A success holding <paramref name="value"/> as read, with nothing written.</summary>
    internal static ApiKeyResult<T> Unchanged(T value) => new(value ?? throw new ArgumentNullException(nameof(value)), ApiKeyError.None, null, null) { WroteNothing = true };

    /// <summary>A <see cref="ApiKeyError.NotFound"/> failure.</summary>
    internal static ApiKeyResult<T> NotFound() => NotFound("No API key has that id.");

    /// <summary>A <see cref="ApiKeyError.NotFound"/> failure that says what was not found.</summary>
    internal static ApiKeyResult<T> NotFound(string detail) => new(null, ApiKeyError.NotFound, detail, null);

    /// <summary>A <see cref="ApiKeyError.Conflict"/> failure that says why.</summary>
    internal static ApiKeyResult<T> Conflict(string detail) => new(null, ApiKeyError.Conflict, detail, null);

    /// <summary>An <see cref="ApiKeyError.Invalid"/> failure with messages per field.</summary>
    internal static ApiKeyResult<T> Invalid(IReadOnlyDictionary<string, string[]> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        return new(null, ApiKeyError.Invalid, "The request is invalid.", errors);
    }
}

/// <summary>Makes <see cref="ApiKeyResult{T}"/> values, for example in a decorator or a test double of <see cref="IApiKeyManager"/>.</summary>
public static class ApiKeyResult
{
    /// <summary>A success holding <paramref name="value"/>.</summary>
    public static ApiKeyResult<T> Success<T>(T value)
        where T : class => ApiKeyResult<T>.Success(value);

    /// <summary>A <see cref="ApiKeyError.NotFound"/> failure.</summary>
    public static ApiKeyResult<T> NotFound<T>()
        where T : class => ApiKeyResult<T>.NotFound();

    /// <summary>A <see cref="ApiKeyError.Conflict"/> failure that says why.</summary>
    public static ApiKeyResult<T> Conflict<T>(string detail)
        where T : class => ApiKeyResult<T>.Conflict(detail);

    /// <summary>An <see cref="ApiKeyError.Invalid"/> failure with messages per field.</summary>
    public static ApiKeyResult<T> Invalid<T>(IReadOnlyDictionary<string, string[]> errors)
        where T : class => ApiKeyResult<T>.Invalid(errors);
}
