using P2P.ApiKeys.Stores;

namespace P2P.ApiKeys;

/// <summary>Which page of keys <see cref="IApiKeyManager.ListAsync"/> returns.</summary>
public sealed class ApiKeyListRequest
{
    /// <summary>The page, from 1.</summary>
    /// <remarks>Defaults to 1.</remarks>
    public int Page { get; init; } = 1;

    /// <summary>Keys per page, at least 1; a larger value than <see cref="ApiKeyOptions.MaxPageSize"/> gets that many.</summary>
    /// <remarks>Defaults to 50.</remarks>
    public int PageSize { get; init; } = 50;

    /// <summary>Only keys of this owner, or every owner when <see langword="null"/>.</summary>
    public string? Owner { get; init; }

    /// <summary>Only keys in this state now, or every key when <see langword="null"/>.</summary>
    public ApiKeyState? State { get; init; }
}
