using AdminApi.Procurement;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the procure-to-pay demo data.</summary>
public static class ProcurementServiceCollectionExtensions
{
    /// <summary>
    /// Adds the in-memory demo data set (built once, for "today" by the registered <see cref="TimeProvider"/>)
    /// and the queries over it.
    /// </summary>
    public static IServiceCollection AddProcurementData(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp =>
        {
            var today = DateOnly.FromDateTime(sp.GetRequiredService<TimeProvider>().GetLocalNow().DateTime);
            return ProcurementDataGenerator.Generate(today);
        });
        services.AddSingleton<ProcurementQueries>();
        return services;
    }
}
