"""``lednews`` subcommands by stage; ``aggregator.cli`` assembles the group."""
