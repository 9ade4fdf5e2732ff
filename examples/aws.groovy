// A parameter sweep on two EC2 spot instances (provider 'aws').
//
//   ./jbang katapult.java plan examples/aws.groovy    # what it would create, and the price per hour
//   ./jbang katapult.java run examples/aws.groovy     # create, deploy, run, fetch into results/cloud-sweep/
//   ./jbang katapult.java down -p cloud-sweep     # remove everything Katapult made for it
//
// Needs AWS credentials (`aws configure`, AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or `profile` below); see
// README, "AWS". Katapult tags all it creates with katapult:project = cloud-sweep.
katapult {
    project 'cloud-sweep'
    provider 'aws'
    profile null                 // null: the SDK's default credentials chain
    autoStop true                // stop (spot: terminate) the instances once every run is fetched

    instance {
        name 'worker'
        region 'eu-west-1'
        type 'c5.4xlarge'        // 16 vCPUs
        cpus 8                   // CpuOptions: 4 cores × 2 threads; the agent runs up to 8 cpus' worth at once
        number 2                 // worker-1 and worker-2
        eco true                 // spot instances; interrupted ones are replaced and their runs re-queued
        maxBid 0.45              // $/hour, at most
        ecoLife '6h'             // each instance shuts itself down (and terminates) after 6 hours at most
        diskSize 30              // GB, gp3, on the image's root device
        diskType 'gp3'
        // imgId null            // null: the newest Canonical Ubuntu LTS image of the region
        // sshCidr '203.0.113.7/32'  // null: this machine's public address as a /32
    }

    environment 'py', {
        envPypi 'aws/requirements.txt'
    }

    job {
        name 'sweep'
        envName 'py'
        runScript 'aws/sweep.py 1 1000'
        outputFiles 'fit.json'
        cpusReq 2
        repeat 8
    }
}
