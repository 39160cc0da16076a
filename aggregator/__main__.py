from aggregator.cli import main

# Guarded: the page worker processes (aggregator.workers, 'spawn') import the parent's
# main module under another name and must not start a second CLI.
if __name__ == "__main__":
    main()
