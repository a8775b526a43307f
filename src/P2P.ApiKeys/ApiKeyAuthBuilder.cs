using Microsoft.Extensions.DependencyInjection;

namespace P2P.ApiKeys;

/// <summary>Returned by <c>AddApiKeyAuth</c> to choose stores and add optional parts.</summary>
public sealed class ApiKeyAuthBuilder
{
    internal ApiKeyAuthBuilder(IServiceCollection services) => Services = services;

    /// <summary>The service collection being configured.</summary>
    public IServiceCollection Services { get; }
}
