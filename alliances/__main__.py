from alliances.cli import main

main()
