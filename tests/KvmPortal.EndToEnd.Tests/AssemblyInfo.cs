// The browser tests share one demo VM (some force it off, others need it running) and two cores:
// they run one after another.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
