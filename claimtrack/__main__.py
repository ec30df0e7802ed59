from claimtrack.cli.launch import main

main()
