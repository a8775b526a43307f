namespace P2P.Dashboard.Charts;

/// <summary>Round axis ticks: 0, 50k, 100k, 150k, 200k rather than 0, 93,412.57, 186,825.14.</summary>
public static class AxisScale
{
    /// <summary>
    /// The step between <paramref name="intervals"/> equal intervals from 0 whose top is at least
    /// <paramref name="max"/>: 1, 2, 2.5 or 5 times a power of ten.
    /// </summary>
    public static decimal NiceStep(decimal max, int intervals)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(intervals, 1);
        if (max <= 0)
        {
            return 1m;
        }

        var raw = (double)max / intervals;
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var fraction = raw / magnitude;
        var nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 2.5 ? 2.5 : fraction <= 5 ? 5 : 10;
        var step = (decimal)(nice * magnitude);

        // Floating point may land a hair under: the top must hold the maximum.
        return step * intervals < max ? step * 2 : step;
    }
}
