using System.Diagnostics.CodeAnalysis;

namespace P2P.ApiKeys.Admin.Users;

/// <summary>The outcome of an <see cref="AdminUserManager"/> call, shaped like <see cref="ApiKeyResult{T}"/>: a value, or what is wrong.</summary>
internal sealed class AdminUserResult<T>
    where T : class
{
    private static readonly IReadOnlyDictionary<string, string[]> NoErrors = new Dictionary<string, string[]>();

    private AdminUserResult(T? value, AdminUserError error, string? detail, IReadOnlyDictionary<string, string[]>? errors, TimeSpan retryAfter, string? account)
    {
        Value = value;
        Error = error;
        Detail = detail;
        Errors = errors ?? NoErrors;
        RetryAfter = retryAfter;
        Account = account;
    }

    [MemberNotNullWhen(true, nameof(Value))]
    public bool Succeeded => Error == AdminUserError.None;

    public T? Value { get; }

    public AdminUserError Error { get; }

    /// <summary>A sentence that says what is wrong; never holds a password.</summary>
    public string? Detail { get; }

    /// <summary>For <see cref="AdminUserError.Invalid"/>: messages per field (<c>username</c>, <c>password</c>, <c>current_password</c>, <c>new_password</c>, <c>page</c>, <c>page_size</c>).</summary>
    public IReadOnlyDictionary<string, string[]> Errors { get; }

    /// <summary>For <see cref="AdminUserError.LockedOut"/>: how long to wait.</summary>
    public TimeSpan RetryAfter { get; }

    /// <summary>For a failed login: the user name of the existing account it concerns, or <see langword="null"/> for an unknown name.</summary>
    public string? Account { get; }

    public static AdminUserResult<T> Success(T value) => new(value, AdminUserError.None, null, null, TimeSpan.Zero, null);

    public static AdminUserResult<T> NotFound() => new(null, AdminUserError.NotFound, "No admin has that id.", null, TimeSpan.Zero, null);

    public static AdminUserResult<T> Conflict(string detail) => new(null, AdminUserError.Conflict, detail, null, TimeSpan.Zero, null);

    public static AdminUserResult<T> Invalid(IReadOnlyDictionary<string, string[]> errors) =>
        new(null, AdminUserError.Invalid, "The request is invalid.", errors, TimeSpan.Zero, null);

    public static AdminUserResult<T> Invalid(string field, string message) => Invalid(new Dictionary<string, string[]> { [field] = [message] });

    public static AdminUserResult<T> InvalidCredentials(string? account) =>
        new(null, AdminUserError.InvalidCredentials, "The user name or password is incorrect.", null, TimeSpan.Zero, account);

    public static AdminUserResult<T> LockedOut(TimeSpan retryAfter, string? account) =>
        new(null, AdminUserError.LockedOut, "Too many login attempts; retry later.", null, retryAfter, account);
}
