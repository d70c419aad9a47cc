# Effective sample size of 128 samples from μ, reweighted towards π
# Render from this directory: gnuplot importance-ess.gp  (writes importance-ess.png)
if (!exists("outfile")) outfile = 'importance-ess.png'
set terminal pngcairo size 800,500 noenhanced font 'Sans,11'
set output outfile
set title 'Effective sample size of 128 samples from μ, reweighted towards π'
set xlabel 'KL(μ ‖ π) per response (nats)'
set ylabel 'ESS / n'
set key bottom left box opaque
set grid
set logscale x
set format x '%g'
set logscale y
set format y '%g'
set style fill transparent solid 0.2 noborder
set offsets 0, 0, graph 0.05, graph 0.05
plot 'importance-ess.dat' index 0 using 1:2 with lines lw 2 lc 1 title 'lr 0.002, step 24, update × λ', \
     'importance-ess.dat' index 1 using 1:2 with lines lw 2 lc 2 title 'lr 0.002 (steps of the run)', \
     'importance-ess.dat' index 2 using 1:2 with lines lw 2 lc 3 title 'lr 0.01 (steps of the run)', \
     'importance-ess.dat' index 3 using 1:2 with lines lw 2 lc 4 title 'log-normal weights: exp(-2 KL)', \
     0.0078125 with lines dt 2 lw 1.5 lc rgb '#333333' title 'one sample'
