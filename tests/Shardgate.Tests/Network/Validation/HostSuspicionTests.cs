using Microsoft.Extensions.Time.Testing;
using Shardgate.Network.Validation;

namespace Shardgate.Tests.Network.Validation;

public sealed class HostSuspicionTests
{
    [Fact]
    public void K_divergent_of_the_last_N_make_a_host_suspect_and_agreeing_samples_that_push_them_out_clear_it()
    {
        var suspicion = new HostSuspicion(new ValidationOptions { Window = 4, Divergent = 2, SuspectWeight = 0.25 }, new FakeTimeProvider());

        Assert.Null(suspicion.Record("h", true));
        Assert.Equal(1.0, suspicion.WeightFactor("h"));
        Assert.True(suspicion.Record("h", true));
        Assert.Equal(0.25, suspicion.WeightFactor("h"));
        Assert.Null(suspicion.Record("h", false));
        Assert.Null(suspicion.Record("h", false));
        Assert.True(suspicion.IsSuspect("h"));
        // The window is [true, false, false, false] now: one divergence of four.
        Assert.False(suspicion.Record("h", false));
        Assert.False(suspicion.IsSuspect("h"));
        var state = Assert.Single(suspicion.Snapshot());
        Assert.Equal(("h", 5, 2, 4, 1, false), (state.NodeId, state.Samples, state.Diverged, state.WindowSamples, state.WindowDiverged, state.Suspect));
    }

    [Fact]
    public void Clearing_forgets_the_window()
    {
        var suspicion = new HostSuspicion(new ValidationOptions { Window = 2, Divergent = 1 }, new FakeTimeProvider());
        suspicion.Record("h", true);

        Assert.True(suspicion.Clear("h"));
        Assert.False(suspicion.IsSuspect("h"));
        Assert.Empty(suspicion.Snapshot());
        Assert.False(suspicion.Clear("h"));
    }
}
