package katapult.remote

import spock.lang.Specification

class RemoteLayoutSpec extends Specification {

    def layout = new RemoteLayout('proj', [hpc: '/scratch/me/proj', lab: 'work/proj'])

    def "an instance without a folder of its own keeps ~/.katapult/<project>"() {
        given:
        def box = layout.on('box')

        expect:
        box.projectRoot() == '.katapult/proj'
        box.root() == '.katapult/proj/instances/box'
        box.files() == '.katapult/proj/files'
        box.rootWord() == '"$HOME"/\'.katapult/proj/instances/box\''
        box.projectRootShown() == '~/.katapult/proj'
        !box.chosenRoot()
        box.removableWords() == '"$HOME"/\'.katapult/proj\''
    }

    def "an absolute workdir replaces the project folder: runs, uploads and words are there, without the home"() {
        given:
        def hpc = layout.on('hpc')

        expect:
        hpc.root() == '/scratch/me/proj/instances/hpc'
        hpc.run('r1') == '/scratch/me/proj/instances/hpc/runs/r1'
        hpc.file('ab') == '/scratch/me/proj/files/ab'
        hpc.rootWord() == "'/scratch/me/proj/instances/hpc'"
        hpc.command('poll.sh', '-') == "bash '/scratch/me/proj/instances/hpc/bin/poll.sh' '/scratch/me/proj/instances/hpc' '-'"
        hpc.projectRootShown() == '/scratch/me/proj'
        hpc.chosenRoot()
    }

    def "a workdir in the home is relative to it"() {
        expect:
        layout.on('lab').rootWord() == '"$HOME"/\'work/proj/instances/lab\''
        layout.on('lab').projectRootShown() == '~/work/proj'
    }

    def "removing a chosen folder removes only what Katapult made in it, never the folder itself"() {
        expect:
        layout.on('hpc').removableWords() == "'/scratch/me/proj/instances' '/scratch/me/proj/files'"
    }

    def "a layout without an instance knows only the default folder"() {
        expect:
        layout.projectRoot() == '.katapult/proj'
        !layout.chosenRoot()
    }
}
