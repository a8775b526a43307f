namespace AdminApi.Procurement;

/// <summary>Unpaid, not rejected invoices grouped by days past due: <c>Current</c>, <c>1-30</c>, <c>31-60</c>, <c>61-90</c>, <c>90+</c>.</summary>
public sealed record AgingBucket(string Bucket, int Count, decimal Amount);
